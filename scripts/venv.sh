# Sourced by the other scripts: make .venv with Python 3.11 and install the given requirements file into it.
python=$(command -v python3.11 || command -v python3)
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1"
