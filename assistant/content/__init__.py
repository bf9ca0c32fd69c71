"""Content: the catalogue of subjects, topics and responses, and pure logic on it.

Topic resolution, follow-up suggestions, citations, readability, opening hours and
the domain terms. Plain Python and files: no Rasa server, no model.
"""
