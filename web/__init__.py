"""The website: the patients' chat page and the staff's knowledge base (kennisbank)."""
