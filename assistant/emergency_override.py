"""Old path of the NLU components, kept one release so trained models still load."""

from assistant.nlu.emergency_override import EmergencyOverride, ScopeGuard  # noqa: F401
