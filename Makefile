# Xinsheng 心声 — `make demo` to try it, `make test` to check it. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
X := $(BIN)/xinsheng
STAMP := $(VENV)/.installed-stamp
VENDOR := src/xinsheng/static/vendor
PG_URL ?= postgres://postgres@localhost:5432/xinsheng_test_$(shell date +%s)_$$$$

.PHONY: install chromium demo test lint typecheck migrations-check test-sqlite test-postgres messages clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/echarts/dist/echarts.min.js $(VENDOR)/
	$(X) compiletranslations
	touch $(STAMP)

# The browser tests drive Debian's Chromium. Checked on every `make test`, not behind the stamp:
# a machine may have the virtual environment and still lack the browser. `make demo` needs none.
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo=sudo; \
	  else echo "Chromium is missing; install the chromium package as root." >&2; exit 1; fi; \
	  echo "Installing Chromium for the browser tests"; \
	  $$sudo apt-get update -q && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; }

# One process: migrate, load the demo, collect the static files, serve with the task worker.
demo: install
	$(X) demo --serve

test: install chromium lint typecheck migrations-check test-sqlite test-postgres

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy

migrations-check:
	env -u DATABASE_URL $(X) makemigrations --check --dry-run

test-sqlite:
	env -u DATABASE_URL $(BIN)/pytest -n 2

# Runs when DATABASE_URL is set or a local PostgreSQL answers; REQUIRE_POSTGRES=1 makes it a must.
test-postgres:
	@url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ] && $(BIN)/python -c "import psycopg; psycopg.connect('postgresql://postgres@localhost:5432/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  url="$(PG_URL)"; fi; \
	if [ -n "$$url" ]; then echo "PostgreSQL run: $${url%%\?*}"; DATABASE_URL="$$url" $(BIN)/pytest -n 2 --create-db; \
	elif [ -n "$${REQUIRE_POSTGRES:-}" ]; then echo "PostgreSQL is required but does not answer" >&2; exit 1; \
	else echo "No PostgreSQL answers; skipped the PostgreSQL run."; fi

# Refresh the English catalogue after changing interface text (needs GNU gettext).
messages:
	cd src/xinsheng && ../../$(X) makemessages -l en --no-location --no-obsolete

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .mypy_cache .ruff_cache
