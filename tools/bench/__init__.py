"""`make bench`: speed, memory and scale of the real servers, against the baseline."""
