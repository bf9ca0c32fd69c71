"""Server: `python -m assistant.server` starts Rasa with the project's settings.

The launcher, the guarded changes to Rasa's internals, the sequential graph runner
and the atomic Redis lock store.
"""
