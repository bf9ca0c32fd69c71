"""The assistant's own Python, in four layers (each imports only those below it).

- `content`: the catalogue of topics and responses, and the pure logic on it.
- `nlu`: the Dutch spaCy pipeline and the custom NLU components (crisis, scope).
- `privacy`: de-identification and the tracker store that uses it.
- `server`: how a Rasa server is started, with the changes to Rasa's internals.
"""
