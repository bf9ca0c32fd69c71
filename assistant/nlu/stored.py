"""Saves and loads the trained state of the project's NLU components with the model."""

from __future__ import annotations

from typing import Any

from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


def save(model_storage: ModelStorage, resource: Resource, name: str, obj: Any) -> None:
    """Store one object (joblib) in a component's part of the model."""
    import joblib

    with model_storage.write_to(resource) as folder:
        joblib.dump(obj, folder / name)


def load(model_storage: ModelStorage, resource: Resource, name: str) -> Any | None:
    """Return a stored object, or None when the model holds none (not trained)."""
    import joblib

    try:
        with model_storage.read_from(resource) as folder:
            return joblib.load(folder / name)
    except (ValueError, FileNotFoundError):
        return None
