#!/usr/bin/env bash
# Installs what the browser tests need from Debian's packages: Chromium, its driver,
# and a colour emoji font (for the feedback buttons in screenshots). No browser
# download. Needs root (or sudo); does nothing when all three are present.
set -euo pipefail
packages=(chromium chromium-driver fonts-noto-color-emoji)
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
