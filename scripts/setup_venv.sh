#!/usr/bin/env bash
# Creates the virtual environment once per set of pinned requirements, in a cache
# outside the work tree (Rasa is about 3 GB), and links it here as .venv.
# usage: scripts/setup_venv.sh LINK CACHED_VENV
set -euo pipefail
link=$1
target=$2
python=$(scripts/find_python310.sh)
if [ ! -f "$target/.complete" ]; then
  echo "Installing Rasa and the other pinned requirements into $target (a few minutes, once)..."
  rm -rf "$target"
  mkdir -p "$(dirname "$target")"
  "$python" -m venv "$target"
  "$target/bin/pip" install --quiet --upgrade "pip==24.0"
  "$target/bin/pip" install --quiet -r requirements.txt -c requirements-lock.txt
  touch "$target/.complete"
fi
if [ -e "$link" ] && [ ! -L "$link" ]; then
  echo "Replacing the old $link folder by a link to the cached environment."
  rm -rf "$link"
fi
ln -sfn "$target" "$link"
