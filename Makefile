# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint install clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## Run the demo: SQLite under var/, the fictional district, a server on 127.0.0.1:$${PORT:-8000}.
demo: $(STAMP)
	$(VENV)/bin/shouwang demo

## Run every test: lint, migrations check, unit/API/browser tests on SQLite and PostgreSQL.
test:
	bash scripts/system-packages.sh
	$(MAKE) $(STAMP)
	$(PY) scripts/run_tests.py $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench scripts

clean:
	rm -rf $(VENV) var
