# Two commands do all the set-up on a fresh machine (Python >= 3.11 and make):
#   make run    create .venv, install govmine, run the pipeline on the bundled corpus into outputs/
#               (and write its HTML report, outputs/bundled/report.html)
#   make test   create .venv if missing, install the dev extras, run the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= outputs/bundled
# the bundled input documents; corpus/gold and corpus/annotations hold labels, not input
INPUTS ?= corpus/seed corpus/news corpus/reports
ARGS   ?=
# pytest processes for make test (pytest-xdist; 0 runs the tests in this process). --dist worksteal: a worker that
# runs out of tests takes half of another's queue, so the tests queued behind the theme model's retraining (the
# longest test, run first) are run by the other worker meanwhile
TEST_WORKERS ?= 2

.PHONY: run test venv dev bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

venv: $(VENV)/.installed
dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(BIN)/govmine run $(INPUTS) --out $(OUT) --force $(ARGS)
	$(BIN)/govmine report $(OUT) --html $(OUT)/report.html

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(ARGS)

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/bench_pipeline.py

clean:
	rm -rf $(VENV) outputs/bundled .pytest_cache .hypothesis
