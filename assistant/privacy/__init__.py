"""Privacy: de-identification (deduce, in a worker process) and the tracker store.

Nothing a user typed is stored before it has passed through `deidentify`; the store
records its own health for the web channel to report.
"""
