"""Dialogue: the project's own Rasa policy and the conversation logic it applies."""
