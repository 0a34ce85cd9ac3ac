# facit — the two commands are `make run` and `make test`; the rest are their parts.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
APPS := core accounts web evidence literature directory guidance panel api

.PHONY: install gettext run test test-sqlite test-postgres bench lint typecheck messages compilemessages browser-deps screenshots clean lock serve test-stack

install: $(VENV)/.installed

# Exactly the versions in requirements.lock, each checked against its hashes; the lock must
# match pyproject.toml (after a merge that changed the dependencies: `make lock`).
$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	@$(PY) scripts/lock.py check
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

# Resolve pyproject.toml's dependencies again into requirements.lock (uv pip compile, with
# hashes); commit the result.
lock:
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) scripts/lock.py lock

compilemessages: install gettext
	@for app in $(APPS); do \
	  if [ -d facit/$$app/locale ]; then (cd facit/$$app && env -u DJANGO_SETTINGS_MODULE ../../$(VENV)/bin/django-admin compilemessages -v0); fi; \
	done

# Extract facit's own words into each app's Swedish catalogue (then translate the new entries).
messages: install
	@for app in $(APPS); do \
	  mkdir -p facit/$$app/locale; \
	  (cd facit/$$app && FACIT_TESTING=1 ../../$(PY) ../../manage.py makemessages -l sv --no-obsolete -v0 --add-location file -e html,txt,py,svg); \
	done

run: install compilemessages
	DEBUG=$${DEBUG:-true} FACIT_DEMO=$${FACIT_DEMO:-true} scripts/run.sh $(PORT)

# The production stack (DEBUG off, gunicorn, RQ workers); settings from the environment,
# see the README's "Production" section and .env.example.
serve: install compilemessages
	scripts/serve.sh $(PORT)

# The stack's smoke and fault tests (start the stack; the fault tests bring their own
# PostgreSQL cluster and redis-server). .ci/run runs them after the suite.
test-stack: install compilemessages
	FACIT_STACK_TESTS=1 $(PY) -m pytest tests/stack -q

# msgfmt compiles the Swedish catalogues (Debian's gettext).
gettext:
	@command -v msgfmt >/dev/null || { \
	  echo "Installing Debian's gettext for the translation catalogues"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

browser-deps:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install compilemessages browser-deps lint typecheck
	scripts/test.sh

bench: install compilemessages
	$(PY) bench/run.py $(BENCH_ARGS)

# Full-page PNGs of the main pages at 390 px and 1280 px in var/screenshots/, to review by eye.
screenshots: install compilemessages browser-deps
	$(PY) scripts/screenshots.py

lint: install
	$(VENV)/bin/ruff check facit tests bench scripts
	$(VENV)/bin/ruff format --check facit tests bench scripts

typecheck: install
	FACIT_TESTING=1 $(VENV)/bin/mypy facit

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
