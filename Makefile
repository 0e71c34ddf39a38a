# disarmament-notebooks: set-up, report and tests in one command each.
# Every target creates .venv and installs the suite when it is missing or when
# pyproject.toml changed; otherwise it goes straight to work.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: report test lab figures refresh validate lint clean-venv

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

## report: run every notebook on the bundled data; reports land in reports/
report: $(STAMP)
	$(PY) -m analysis report $(ARGS)

## test: the whole test suite (unit tests, notebook runs, nbval regression)
test: $(STAMP)
	$(PY) -m pytest

## lab: open JupyterLab on notebooks/ with this environment's own kernel
lab: $(STAMP)
	$(PY) -m jupyter lab --notebook-dir=notebooks

## figures: regenerate the README's figures in docs/figures/
figures: $(STAMP)
	$(PY) -m analysis figures

## refresh: re-execute the notebooks in place (the nbval baseline)
refresh: $(STAMP)
	$(PY) -m analysis refresh-notebooks

validate: $(STAMP)
	$(PY) -m analysis validate

lint: $(STAMP)
	$(PY) -m ruff check src tests

clean-venv:
	rm -rf $(VENV)
