# Two entry points, each setting up everything it needs in .venv:
#   make run   build the database from the seeds and answer the headline questions
#   make test  run the test suite
#   make bench measure batterydb on generated data against raw DuckDB, SQLite and PostgreSQL
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HEADLINES := joint_venture_owners facility_capacities targets agreements
# One line under each headline table: the distinct sources of the rows shown (the ids in the query's
# source_id or source_ids column), each with a short label: its publisher, else its title, else its
# kind; its date to the precision known; and, for an undated one, the article that cites it. It runs in
# the shell's double quotes, with $$q the query's name, so no double quote, backquote or other $ may
# appear in it.
SOURCES_SQL := SELECT 'sources: ' || coalesce(string_agg(l.source_id || ' (' || l.label || ')', ', ' \
	ORDER BY l.source_id), 'none') AS sources FROM (SELECT s.source_id, concat_ws(', ', \
	coalesce(p.name, s.title, replace(s.kind, '_', ' ')), CASE s.published_precision \
	WHEN 'day' THEN strftime(s.published_on, '%Y-%m-%d') WHEN 'month' THEN strftime(s.published_on, '%Y-%m') \
	WHEN 'year' THEN strftime(s.published_on, '%Y') END, CASE WHEN s.published_on IS NULL THEN (SELECT \
	'cited by ' || string_agg(c.citing_source_id, ' and ' ORDER BY c.citing_source_id) \
	FROM source_citations AS c WHERE c.cited_source_id = s.source_id) END) AS label \
	FROM sources AS s LEFT JOIN source_publishers AS sp ON sp.source_id = s.source_id \
	LEFT JOIN organisations AS p ON p.org_id = sp.org_id \
	WHERE s.source_id IN (SELECT unnest(string_split(COLUMNS('^source_ids?\b'), ', ')) FROM analytics.$$q)) AS l

.PHONY: run headlines test bench build clean postgres-server

run: $(VENV)/.installed
	$(BIN)/batterydb build
	@$(MAKE) --no-print-directory headlines

# The headline answers from the built database, each followed by its sources. batterydb sql writes CSV
# to a pipe: the sed drops the header and unquotes the one field (a label holds commas).
headlines:
	@for q in $(HEADLINES); do \
		echo; $(BIN)/batterydb query $$q --format table --full-width || exit 1; \
		sources=$$($(BIN)/batterydb sql "$(SOURCES_SQL)" --format csv) || exit 1; \
		printf '%s\n' "$$sources" | sed -e 1d -e 's/^"\(.*\)"$$/\1/' -e 's/""/"/g'; \
	done

test: $(VENV)/.installed-test postgres-server
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
