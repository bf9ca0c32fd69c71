"""Privacy: de-identification (deduce, in a worker process) and the tracker store.

Nothing a user typed is stored before it has passed through `deidentify`; while no
de-identifier is ready it is stored as a marker instead. The store records its own
health for the web channel to report (`store_health`).
"""
