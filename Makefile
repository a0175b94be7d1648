# Two commands do all set-up on a fresh machine: `make test` and `make demo`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The stamp is written only after a successful install, and is older than the packaging
# files whenever they change, so a failed or outdated install is redone on the next run.
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip --disable-pip-version-check --no-input -q

.PHONY: test demo docs venv clean unit bench

$(STAMP): setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
		|| { echo "saltext-pbs needs Python >= 3.10 (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e '.[tests,docs]'
	touch $(STAMP)

venv: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory docs

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

docs: $(STAMP)
	$(BIN)/python tools/gen_ref_docs.py
	$(BIN)/sphinx-build -q -W --keep-going -b html docs docs/_build/html

demo: $(STAMP)
	$(BIN)/python tools/demo.py

bench: $(STAMP)
	$(BIN)/python bench/bench_scale.py
	$(BIN)/python bench/bench_state_run.py

clean:
	rm -rf $(VENV) docs/_build docs/ref .demo
