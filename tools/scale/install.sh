#!/usr/bin/env bash
# Installs what the scale-out tests and bench need from Debian's packages: PostgreSQL,
# Redis and nginx. They are started by hand on loopback ports (tools/scale/cluster.py), not
# as system services. Needs root (or sudo); does nothing when all three are present.
set -euo pipefail
exec "$(dirname "$0")/../../scripts/install_debian_packages.sh" postgresql redis-server nginx
