"""Operations run beside the servers: `python -m ops.purge` (retention)."""
