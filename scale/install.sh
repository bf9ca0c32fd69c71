#!/usr/bin/env bash
# Installs what the scale-out tests and bench need from Debian's packages: PostgreSQL,
# Redis and nginx. They are started by hand on loopback ports (scale/cluster.py), so
# the services the packages enable are not used. Needs root (or sudo); does nothing
# when all three are present.
set -euo pipefail
packages=(postgresql redis-server nginx)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || {
    echo "Install as root: apt-get install ${missing[*]}" >&2
    exit 1
  }
  sudo=sudo
fi
echo "Installing ${missing[*]} from Debian's packages..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
  "${missing[@]}" >/dev/null
