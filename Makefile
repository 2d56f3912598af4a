# The two commands of the README:
#   make run   install, migrate, load the demo bureau and serve it on 127.0.0.1:$(PORT)
#   make test  install (with test tools, Chromium and a CJK font) and run the whole suite
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install install-dev lock clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

install: $(PY)
	bash scripts/install-system-deps.sh
	$(PY) -m pip install -q -r requirements.lock

install-dev: $(PY)
	bash scripts/install-system-deps.sh test
	$(PY) -m pip install -q -r requirements-dev.lock

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lock: $(PY)
	$(PY) -m pip install -q pip-tools
	$(VENV)/bin/pip-compile -q --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile -q --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
