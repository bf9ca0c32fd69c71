#!/usr/bin/env bash
# Installs the Debian packages named as arguments that are missing, with apt-get.
# Needs root (or sudo); does nothing when all are present.
# Usage: scripts/install_debian_packages.sh PACKAGE...
set -euo pipefail
missing=()
for package in "$@"; do
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
