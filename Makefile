# disarmament-notebooks: set-up, report and tests in one command each.
# Every target creates .venv and installs what it needs when that is missing or when
# pyproject.toml changed; otherwise it goes straight to work. Two stamps: the report
# needs the package only (pip install -e .), the tests add pytest, nbval, hypothesis and
# ruff (pip install -e '.[test]'); installing the tests also satisfies the report, so
# switching between `make report` and `make test` never reinstalls.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
STAMP_RUN  := $(VENV)/.installed-run-stamp
STAMP_TEST := $(VENV)/.installed-stamp

.PHONY: report test test-fast lab figures refresh validate lint clean-venv

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $(STAMP_RUN)

$(STAMP_TEST): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP_TEST)
	@test $(STAMP_RUN) -nt pyproject.toml || touch $(STAMP_RUN)

## report: run every notebook on the bundled data; reports land in reports/
report: $(STAMP_RUN)
	$(PY) -m analysis report $(ARGS)

## test: the whole test suite (unit tests, notebook runs, nbval regression)
test: $(STAMP_TEST)
	$(PY) -m pytest $(ARGS)

## test-fast: the tests that start no kernel and no subprocess (under 90 s)
test-fast: $(STAMP_TEST)
	$(PY) -m pytest -m "not slow" $(ARGS)

## lab: open JupyterLab on notebooks/ with this environment's own kernel
lab: $(STAMP_RUN)
	$(PY) -m jupyter lab --notebook-dir=notebooks $$(test "$$(id -u)" = 0 && echo --allow-root)

## figures: regenerate the README's figures in docs/figures/
figures: $(STAMP_RUN)
	$(PY) -m analysis figures

## refresh: re-execute the notebooks in place (the nbval baseline)
refresh: $(STAMP_RUN)
	$(PY) -m analysis refresh-notebooks

validate: $(STAMP_RUN)
	$(PY) -m analysis validate

lint: $(STAMP_TEST)
	$(PY) -m ruff check src tests

clean-venv:
	rm -rf $(VENV)
