"""Tooling that is not part of the running assistant.

`stack` starts the servers (tests, bench, evaluation, scale); `training` trains a
model and knows what makes it stale; `evaluation`, `bench` and `scale` measure.
"""
