# The two commands a new user needs: `make run` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run test test-slow bench index search clean

run: $(INSTALLED)  ## The bot with TELEGRAM_BOT_TOKEN set, else a chat in the terminal
	$(PY) -m bot

test: $(INSTALLED)  ## The fast suite, end-to-end tests included
	$(PY) -m pytest -m "not slow"

test-slow: $(INSTALLED)  ## Load tests (marked slow)
	$(PY) -m pytest -m slow

bench: $(INSTALLED)  ## Benchmarks; figures go to bench/results/latest.json
	$(PY) -m bench

index: $(INSTALLED)  ## Rebuild the index from seeds/
	$(PY) -m index build

# Install once; again only when pyproject.toml changes. torch first, pinned to its CPU build.
$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(INSTALLED)

clean:
	rm -rf $(VENV) var
