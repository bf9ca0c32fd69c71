#!/usr/bin/env bash
# Installs what the browser tests need from Debian's packages: Chromium, its driver,
# and a colour emoji font (for the feedback buttons in screenshots). No browser
# download. Needs root (or sudo); does nothing when all three are present.
set -euo pipefail
exec "$(dirname "$0")/install_debian_packages.sh" chromium chromium-driver fonts-noto-color-emoji
