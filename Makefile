# The two README commands (`make demo`, `make test`) work on a fresh machine with Python 3.11+:
# each creates .venv from pyproject.toml when it is missing or older than pyproject.toml.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-from-pyproject
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo test lint bench venv system-deps clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "strangler needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages the tests use (docker-compose to validate docker-compose.yml, chromium for the
# dashboard); installed when running as root, reported otherwise.
system-deps:
	@bash tests/support/system_deps.sh

demo: $(STAMP)
	@bash scripts/demo.sh $(HOST) $(PORT)

test: $(STAMP) system-deps
	$(VENV)/bin/pytest -n auto --dist loadgroup

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check proxy codemods tests bench
	$(VENV)/bin/mypy

bench: $(STAMP)
	@for b in bench/*/run.sh; do echo "== $$b"; bash $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
