"""Answer quality: `python -m tools.evaluation.evaluate` (make eval) and its reports."""
