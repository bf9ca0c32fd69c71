"""Custom actions of the assistant, one class per action, grouped by subject."""
