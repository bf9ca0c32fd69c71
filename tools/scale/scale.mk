# Scale-out on Rasa's multi-instance design (issue 6): PostgreSQL tracker store, Redis
# lock store, several Rasa servers behind nginx, all on loopback in a temporary
# folder (tools/scale/cluster.py). Included by the Makefile.

SCALE_SERVERS ?= 2

.PHONY: scale-install scale-test scale-bench scale-up

scale-install:  ## PostgreSQL, Redis and nginx from Debian's packages (for the scale-* targets)
	tools/scale/install.sh

scale-test: $(MODEL) scale-install  ## 2 Rasa servers on PostgreSQL and Redis behind nginx: context, lock, shared limits, a server killed (~2 min)
	$(PY) -m pytest -q -rP tests/scale

test: scale-test

scale-bench: $(MODEL) scale-install  ## messages/s and latency with 1, 2 and 3 Rasa servers behind nginx -> reports/scale.md (~4 min)
	$(PY) -m tools.scale.bench --servers 1,2,3 --out reports/scale.md

bench: scale-bench

scale-up: $(MODEL) scale-install  ## start the scaled-out assistant here (SCALE_SERVERS=2) until Ctrl-C
	$(PY) -m tools.scale.cluster up --servers $(SCALE_SERVERS)
