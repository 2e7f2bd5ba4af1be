# Two commands for a newcomer:  make serve   and   make test
# Both create .venv when it is missing and install the course into it.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8866
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test

.PHONY: serve test install install-test lint benchmark clean-generated help

help:
	@echo "make serve      publish the course with Voila on http://127.0.0.1:$(PORT)/ (one learner, this computer)"
	@echo "make test       run every test (unit, notebooks, nbgrader, browser)"
	@echo "make benchmark  measure import, notebook and page timings (writes benchmarks/results/)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TESTSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(STAMP)

install: $(STAMP)
install-test: $(TESTSTAMP)

# one learner on their own machine: 127.0.0.1 only; settings in widgets/resilience_course/publish/voila/
serve: $(STAMP)
	@echo "Open http://127.0.0.1:$(PORT)/ (the course home page). Ctrl+C stops the course."
	$(BIN)/resilience-course serve --port $(PORT)

# ruff, then one pytest run: unit, widget, content, nbgrader and browser tests, plus nbval over every notebook
test: $(TESTSTAMP)
	$(BIN)/ruff check widgets tests benchmarks scripts
	$(BIN)/python -m pytest --nbval-lax -p no:cacheprovider tests course modules

lint: $(TESTSTAMP)
	$(BIN)/ruff check widgets tests benchmarks scripts

benchmark: $(TESTSTAMP)
	$(BIN)/python benchmarks/run.py

clean-generated:
	rm -rf assessments/release assessments/submitted assessments/autograded assessments/feedback assessments/gradebook.db
