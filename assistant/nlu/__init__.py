"""NLU: the project's Dutch spaCy pipeline and its custom Rasa NLU components.

The crisis layer (lexicon and classifier), the scope guard and the components that
apply them in the trained pipeline (`emergency_override`).
"""
