"""Scale-out on Rasa's multi-instance design: PostgreSQL, Redis, N servers, nginx."""
