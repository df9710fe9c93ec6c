# One command runner for the README, CI and developers.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: help install assets run serve sample test test-sqlite test-postgres test-search lint format bench-import bench-web bench-index bench-auction bench-news bench-events clean

help:
	@echo "make run        set up, migrate, load the sample data, serve on http://$(HOST):$(PORT)"
	@echo "make test       the full suite (SQLite; PostgreSQL too when FACTORLINK_TEST_POSTGRES_URL is set)"
	@echo "make test-search  the matching tests on the Milvus backend (Milvus Lite files)"
	@echo "make lint       ruff and mypy"
	@echo "make bench-import   import speed and memory (a table; not part of the tests)"
	@echo "make bench-web      answer time of each web page on the sample data (a table)"
	@echo "make bench-index    innovation index speed (a table; not part of the tests)"
	@echo "make bench-auction  bids/s and acknowledgement latency, SQLite and PostgreSQL (a table)"
	@echo "make bench-news     news extraction F1, dates and pages/s; duplicate recall (tables)"
	@echo "make bench-events   meeting scheduling: greedy vs CP-SAT on two brokerage days (a table)"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev,milvus]"
	@touch $@

install: $(VENV)/.installed assets

# Third-party web assets (ECharts) from the npm registry, pinned by hash; install time only.
assets: $(BIN)/python
	@$(BIN)/python scripts/vendor_assets.py

run: install
	$(BIN)/factorlink db upgrade
	$(BIN)/factorlink sample load
	$(BIN)/factorlink serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/factorlink serve --host $(HOST) --port $(PORT)

test: install lint test-sqlite test-postgres test-search

# The matching suite again on the Milvus search backend (a Milvus Lite file per test, synced
# inline). Left to the passes above: the local index's own tests (tests/matching/live, which
# also test the Milvus index and sync directly), the pure cores (fit/, retrieval/), and the
# shared-data evaluations (`factorlink eval --backend milvus` measures those).
SEARCH_TESTS ?= tests/matching --ignore=tests/matching/live --ignore=tests/matching/fit \
	--ignore=tests/matching/retrieval -m "not shared_data"
test-search: install
	$(BIN)/pytest -n 2 --search-backend=milvus $(SEARCH_TESTS) $(PYTEST_ARGS)

test-sqlite: install
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-postgres: install
	@if [ -n "$$FACTORLINK_TEST_POSTGRES_URL" ]; then \
		$(BIN)/pytest -n 2 --db=postgresql $(PYTEST_ARGS); \
	else \
		echo "FACTORLINK_TEST_POSTGRES_URL not set: PostgreSQL pass skipped (CI runs it)"; \
	fi

lint: install
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests scripts
	$(BIN)/ruff check --fix src tests scripts

bench-import: install
	$(BIN)/python scripts/bench_import.py

bench-web: install
	$(BIN)/python scripts/bench_web.py

bench-index: install
	$(BIN)/python scripts/bench_index.py

bench-auction: install
	$(BIN)/python scripts/bench_auction.py

bench-news: install
	$(BIN)/python scripts/bench_news.py

bench-events: install
	$(BIN)/python scripts/bench_events.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var artifacts .pytest_cache .mypy_cache .ruff_cache
