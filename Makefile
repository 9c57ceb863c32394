# The two commands in the README: `make play` (the game in your browser) and `make test`.
# Each does its own set-up: a .venv with Python 3.12 (see .python-version) and the project.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8765
export SOLARA_TELEMETRY_MIXPANEL_ENABLE := False

.PHONY: play test lint bench classroom chromium clean

$(STAMP): pyproject.toml
	@command -v python3 >/dev/null || { echo "python3 (3.12) is needed"; exit 1; }
	python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 or newer is needed (pyenv install 3.12; see .python-version)")'
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

play: $(STAMP)
	$(VENV)/bin/negotiate app --host $(HOST) --port $(PORT)

classroom: $(STAMP)
	$(VENV)/bin/negotiate classroom --host $(HOST) --port $(PORT)

chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

# Parallel workers, each taking whole files (a file's server starts once). On 2 cores the
# suite keeps both cores busy with 3 workers (measured: 7:44 with 3, 8:18 with 4, 10:34 with
# 6, whole-machine CPU 904 / 977 core-seconds for 3 / 4): more workers only add contention.
TEST_WORKERS ?= 3
test: $(STAMP) chromium
	$(VENV)/bin/ruff check src app tests benchmarks
	@# The suite starts hundreds of Python processes (CLI, servers, workers); bytecode written
	@# once spares each of them compiling the project again (PYTHONDONTWRITEBYTECODE may be set).
	$(PY) -m compileall -q -j 0 src app tests > /dev/null
	@# Likewise the firms' compiled week: numba's cache is written once, before the workers start.
	$(PY) -c "from negotiate.agents import firm_week; firm_week.load()"
	$(VENV)/bin/pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

lint: $(STAMP)
	$(VENV)/bin/ruff check src app tests benchmarks

bench: $(STAMP)
	$(PY) benchmarks/run.py --json

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
