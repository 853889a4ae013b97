# The two commands a new user needs: `make run` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# Debian's Indonesian thesaurus and English-Indonesian dictionary, for answer verification.
LEXICON_DIR := var/lexicon
LEXICON := $(LEXICON_DIR)/usr/share/mythes/th_id_ID_v2.dat

.PHONY: run test lint test-slow bench index reader search clean

run: $(INSTALLED) $(LEXICON)  ## The bot with TELEGRAM_BOT_TOKEN set, else a chat in the terminal
	$(PY) -m bot

test: $(INSTALLED) $(LEXICON)  ## Lint, format and types (seconds), then the fast suite, end-to-end tests included
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest -m "not slow"

lint: $(INSTALLED)  ## Only the checks: ruff and mypy
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

test-slow: $(INSTALLED) $(LEXICON)  ## Load tests, fault scenarios and FacQA figures (marked slow)
	$(PY) -m pytest -m slow

bench: $(INSTALLED) $(LEXICON)  ## Benchmarks; figures go to bench/results/latest.json
	$(PY) -m bench

index: $(INSTALLED)  ## Rebuild the index from seeds/
	$(PY) -m index build

reader: $(INSTALLED) $(LEXICON)  ## Train the span reader (about 70 min on 2 cores; resumes); writes bot/answers/reader_weights/
	$(PY) -m training

# Install once; again only when pyproject.toml changes. torch first, pinned to its CPU build.
$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(INSTALLED)

# apt-get download + dpkg-deb -x, no root needed. Where apt is missing or offline it says so and the
# bot answers without them (stems, the glossary and e5 only); the next make tries again.
$(LEXICON): | $(INSTALLED)
	$(PY) -m bot.answers.lexicon fetch $(LEXICON_DIR)

clean:
	rm -rf $(VENV) var
