"""Server: `python -m assistant.server` starts Rasa with the project's settings.

The launcher (`launcher`), the guarded changes to Rasa's internals, all in one
module checked against Rasa's version (`rasa_patches`), the sequential graph runner
it installs (`graph_runner`) and the atomic Redis lock store (`lock_store`).
"""
