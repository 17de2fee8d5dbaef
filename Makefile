# The two commands: `make run` and `make test` (and `make lint`). Each builds .venv from
# requirements.txt when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint bench demo reference clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m streamlit run streamlit_app.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

test: $(VENV)/.installed
	$(PY) -m pytest -q

# Lint (ruff), types (mypy) and the layers (import-linter, and the command-handler rule in
# tests/test_layers.py); settings in pyproject.toml.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-logo
	$(PY) -m pytest -q tests/test_layers.py

bench: $(VENV)/.installed
	$(PY) benchmarks/run_all.py

demo: $(VENV)/.installed
	$(PY) -m dashboard.demo

reference: $(VENV)/.installed
	$(PY) scripts/build_reference_tables.py

clean:
	rm -rf $(VENV) .pytest_cache
