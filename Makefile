# The two commands of the README:
#   make run   install, migrate, load the demo bureau and serve it on 127.0.0.1:$(PORT)
#   make test  install (with test tools, Chromium and a CJK font) and run the whole suite
# PYTHON=/usr/bin/python3.12 make run  makes the virtual environment with another interpreter
# (3.11 or newer). `make run` uses the local settings (DEBUG, SQLite) explicitly; gunicorn and
# Celery default to the production settings, which refuse to start without their variables.
PORT ?= 8000
PYTHON ?= python3
LOCAL := DJANGO_SETTINGS_MODULE=config.settings.local
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install install-dev lock clean

# The interpreter and its venv module first (Debian and Ubuntu ship venv apart); a venv that
# failed half-way is removed, so the next run does not take it for a finished one.
$(PY):
	PYTHON="$(PYTHON)" bash scripts/install-system-deps.sh python
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(PY) -m pip install -q --upgrade pip || { rm -rf $(VENV); exit 1; }

install: $(PY)
	bash scripts/install-system-deps.sh
	$(PY) -m pip install -q -r requirements.lock

install-dev: $(PY)
	bash scripts/install-system-deps.sh test
	$(PY) -m pip install -q -r requirements-dev.lock

run: install
	$(LOCAL) $(PY) manage.py migrate --noinput
	$(LOCAL) $(PY) manage.py seed_demo
	$(LOCAL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

# One lock for every Python 3.11 (--universal keeps the markers, e.g. redis's async-timeout on
# Debian 12's 3.11.2), with hashes so that pip refuses anything else.
UV_COMPILE = $(VENV)/bin/uv pip compile -q --universal --python-version 3.11 --generate-hashes --no-header
lock: $(PY)
	$(PY) -m pip install -q uv==0.13.9
	$(UV_COMPILE) -o requirements.lock pyproject.toml
	$(UV_COMPILE) --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
