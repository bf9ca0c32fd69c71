#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 does not run on 3.11),
# or says what to install and exits 1. Set PYTHON310 to choose one yourself.
set -u
candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
if command -v pyenv >/dev/null 2>&1; then
  for p in "$(pyenv root)"/versions/3.10.*/bin/python; do candidates+=("$p"); done
fi
for p in "$HOME"/.pyenv/versions/3.10.*/bin/python; do candidates+=("$p"); done
candidates+=(python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10)
for c in "${candidates[@]}"; do
  if [ -x "$c" ] || command -v "$c" >/dev/null 2>&1; then
    if "$c" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
      command -v "$c"
      exit 0
    fi
  fi
done
cat >&2 <<'MSG'
Python 3.10 was not found. Rasa 3.6 needs Python 3.10 (it does not run on 3.11).
Install it with pyenv:   pyenv install 3.10.13
or with your package manager (Debian/Ubuntu: apt-get install python3.10 python3.10-venv),
or point PYTHON310 at an interpreter:   make run PYTHON310=/path/to/python3.10
MSG
exit 1
