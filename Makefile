# Two entry points, each setting up everything it needs in .venv:
#   make run   build the database from the seeds and answer the headline questions
#   make test  run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HEADLINES := joint_venture_owners facility_capacities targets agreements

.PHONY: run test build clean

run: $(VENV)/.installed
	$(BIN)/batterydb build
	@for q in $(HEADLINES); do echo; $(BIN)/batterydb query $$q --format table || exit 1; done

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

build: $(VENV)/.installed
	$(BIN)/batterydb build

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf build $(VENV)
