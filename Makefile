# Two entry points, each setting up everything it needs in .venv:
#   make run   build the database from the seeds and answer the headline questions
#   make test  run the test suite
#   make bench measure batterydb on generated data against raw DuckDB, SQLite and PostgreSQL
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HEADLINES := joint_venture_owners facility_capacities targets agreements
.PHONY: run headlines test bench build clean postgres-server java graphviz chromium

# What a build reads: once built, make run builds again only when one of these has changed.
INPUTS := $(shell find seeds schema queries src -type f \( -name '*.csv' -o -name '*.sql' -o -name '*.py' \)) pyproject.toml

run: build/batterydb.duckdb build/site/index.html
	@$(MAKE) --no-print-directory headlines
	@echo "The catalogue site, every table and query with the model's diagram: build/site/index.html"

build/batterydb.duckdb: $(VENV)/.installed $(INPUTS)
	$(BIN)/batterydb build --out $@

# The catalogue site, written again only when the database is.
build/site/index.html: build/batterydb.duckdb | graphviz
	$(BIN)/batterydb docs --db $< --out build/site

# The headline answers from the built database, each followed by the sources its rows rest on.
headlines:
	@$(BIN)/batterydb query $(HEADLINES) --format table --full-width --sources

test: $(VENV)/.installed-test postgres-server java graphviz chromium
	$(BIN)/python -m pytest

# Writes benchmarks/RESULTS.md; SCALES=1,10,100,1000 to go further.
SCALES ?= 1,10,100
bench: $(VENV)/.installed-test postgres-server
	$(BIN)/python benchmarks/run.py --scales $(SCALES)

# The PostgreSQL tests start a server of their own from Debian's package.
postgres-server:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing Debian's postgresql package for the tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
		else \
			echo "make test needs a PostgreSQL server: sudo apt-get install postgresql"; exit 1; \
		fi; }

# The Spark tests start a cluster of their own from PySpark's jars, which need Java 17.
java:
	@java -version >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing Debian's openjdk-17-jre-headless package for the Spark tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
		else \
			echo "make test needs Java 17 for the Spark tests: sudo apt-get install openjdk-17-jre-headless"; exit 1; \
		fi; }

# batterydb docs draws the model with Graphviz's dot.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing Debian's graphviz package for the catalogue site's diagram"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
		else \
			echo "the catalogue site's diagram needs Graphviz: sudo apt-get install graphviz"; exit 1; \
		fi; }

# The site's browser tests open every page in Debian's chromium, headless, through its chromedriver.
chromium:
	@test -x /usr/bin/chromedriver || { \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing Debian's chromium and chromium-driver packages for the catalogue site's browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
		else \
			echo "the catalogue site's browser tests need Chromium: sudo apt-get install chromium chromium-driver"; exit 1; \
		fi; }

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
