# Two commands for a newcomer: `make run` (app with demo data on SQLite, and the task worker)
# and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never

# A Python >= 3.12: python3.13, python3.12, then pyenv's, then python3 if it is new enough.
# (pyenv's shims exist for every installed version but fail unless that version is selected,
# hence the test run of each candidate.)
FIND_PYTHON = for p in python3.13 python3.12 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    command -v $$p; exit 0; fi; done; \
	echo "No Python 3.12 or newer found. Install one (e.g. apt-get install python3.12, or pyenv)." >&2; exit 1

.PHONY: venv run test test-fast lint bench loadtest messages static clean system-deps-run system-deps-test
venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(PY) || { P=$$($(FIND_PYTHON)) && echo "Using $$P" && $$P -m venv $(VENV); }
	@$(PY) -m pip install -q --disable-pip-version-check uv
	@# --inexact keeps uv itself in the venv; --frozen installs exactly the lock file.
	$(VENV)/bin/uv sync --frozen --inexact --python $(PY) -q
	@touch $@

# Compile the translations: GNU gettext's msgfmt where it is installed, else polib (pure Python).
messages: venv
	@if command -v msgfmt >/dev/null 2>&1; then DEBUG=1 $(PY) manage.py compilemessages -v0 --ignore=.venv; \
	else $(PY) -c 'import glob, polib; [polib.pofile(p).save_as_mofile(p[:-3] + ".mo") for p in glob.glob("locale/*/LC_MESSAGES/*.po")]'; fi

static: venv
	@DEBUG=1 $(PY) manage.py collectstatic --noinput -v0

# System packages (Pango and fonts for the PDFs; for the tests also Chromium, poppler-utils,
# gettext): installed with apt when missing, as root; otherwise the command to run is printed.
# The one list is in .ci/system-deps.
system-deps-run:
	@.ci/system-deps run

system-deps-test:
	@.ci/system-deps test

run: system-deps-run venv messages
	DEBUG=1 $(PY) manage.py migrate -v0
	DEBUG=1 $(PY) manage.py seed_demo --if-empty
	@# Team reports run in the task worker beside the server, as in production (docker-compose's
	@# `worker`), so the page shows their progress instead of holding the browser. The worker
	@# stops with the server (Ctrl-C reaches both; the trap covers any other way out).
	export DEBUG=1 TASKS_IN_WORKER=1; \
	$(PY) manage.py db_worker --no-startup-delay -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py runserver 127.0.0.1:8000

# pytest's exit code 5 (no tests collected) fails the target like any other non-zero code.
test: system-deps-test venv messages
	$(PY) -m pytest -n 2 --dist loadgroup

test-fast: system-deps-test venv messages
	$(PY) -m pytest -m "not e2e" -x -q

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Each benchmark prints `name: value unit` lines and seeds a database of its own.
bench: system-deps-run venv messages
	$(PY) -m kor.outcomes.bench
	@# Production settings (DEBUG off) with the test relaxations: plain http, a throwaway key.
	DJANGO_SETTINGS_MODULE=kor.settings_test $(PY) manage.py bench all

# Load and fault test (loadtest/run.py): gunicorn with production settings and locust (headless)
# on 127.0.0.1, against a fresh `<db>_loadtest` database of DATABASE_URL (PostgreSQL, a role with
# CREATEDB). Bounded in time and requests; kills a worker midway. Not part of `make test` or CI.
loadtest: venv messages
	$(VENV)/bin/uv sync --frozen --inexact --group load --python $(PY) -q
	$(PY) -m loadtest.run

clean:
	rm -rf $(VENV) staticfiles
