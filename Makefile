# Two commands for a newcomer:  make serve   and   make test
# Both create .venv when it is missing and install the course into it. On a fresh Debian or Ubuntu
# machine `make test` also installs what the system lacks (python3-venv, Chromium) when run as root;
# otherwise it stops at once and prints the one command to run.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8866
JOBS   ?= 2
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
# Debian names the browser chromium; older Ubuntu releases chromium-browser
CHROMIUM ?= $(firstword $(wildcard /usr/bin/chromium /usr/bin/chromium-browser) /usr/bin/chromium)
export RC_CHROMIUM := $(CHROMIUM)

.PHONY: serve test check install install-test lint benchmark clean-generated help system-deps

help:
	@echo "make serve      publish the course with Voila on http://127.0.0.1:$(PORT)/ (one learner, this computer)"
	@echo "make test       run every test (unit, widget, content, nbgrader, browser; hub tests as root)"
	@echo "make check      the quick loop: ruff, then the unit and widget tests (under a minute)"
	@echo "make benchmark  measure import, notebook and page timings (writes benchmarks/results/)"
	@echo "make hub-demo PORT=8000 LEARNERS=5 STATE=DIR   a throwaway cohort server (JupyterHub; root)"

# what the system must provide: venv support for Python, and Chromium for the browser tests. As root with
# apt (CI, a fresh Debian or Ubuntu machine) this installs them; anyone else is told, at once and before
# anything is built, the one command to run.
system-deps:
	@missing=""; \
	$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium fonts-liberation"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing$$missing from apt..."; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	      || { echo "apt-get could not install$$missing" >&2; exit 1; }; \
	    $(PYTHON) -c "import ensurepip, venv" 2>/dev/null && [ -x "$(CHROMIUM)" ] \
	      || { echo "apt-get installed$$missing, but $(PYTHON)'s venv or $(CHROMIUM) is still missing" >&2; exit 1; }; \
	  else \
	    echo "make test needs$$missing from the system. Run this, then make test again:" >&2; \
	    echo "    sudo apt-get update && sudo apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi

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

# one learner on their own machine: 127.0.0.1 only, and a new secret (token) each launch: the address
# to open is printed. Settings in widgets/resilience_course/publish/voila/
serve: $(STAMP)
	$(BIN)/resilience-course serve --port $(PORT)

# ruff, then two pytest runs side by side (each reports its slowest tests; the cohort server's report
# follows the other's):
# - every test but the cohort server's, on $(JOBS) processes (pytest-xdist, --dist loadgroup). Tests that share
#   something stay in one process: the page checks (each notebook executed once, on one server), each other
#   browser test file, the nbgrader workflow (tests/browser/conftest.py, tests/quiz_helpers.py). Every notebook
#   is executed once, by the page tests (tests/browser/test_pages.py), which check what nbval would and more.
# - the cohort-server tests (marker hub: real JupyterHub, real Unix accounts; root only, they skip otherwise),
#   in a process of their own, so no other test's event loop or account change can reach them. They mostly
#   wait for servers to start, so they run alongside rather than after.
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider --durations=15
test: system-deps $(TESTSTAMP)
	$(BIN)/ruff check widgets tests benchmarks scripts
	@hub_log=$$(mktemp /tmp/rc-hub-tests.XXXXXX); \
	echo "$(PYTEST) -m hub tests/hub   (alongside; its report follows)"; \
	$(PYTEST) -m hub tests/hub >"$$hub_log" 2>&1 & hub=$$!; \
	echo "$(PYTEST) -n $(JOBS) --dist loadgroup -m 'not hub' tests"; \
	$(PYTEST) -n $(JOBS) --dist loadgroup -m "not hub" tests; rest=$$?; \
	wait $$hub; hub_status=$$?; \
	echo; echo "== the cohort-server tests (marker hub), run alongside in a process of their own =="; \
	cat "$$hub_log"; rm -f "$$hub_log"; \
	[ $$rest = 0 ] && [ $$hub_status = 0 ]

# the development loop: lint, then every test that needs no browser, nbgrader run or hub
check: $(TESTSTAMP)
	$(BIN)/ruff check widgets tests benchmarks scripts
	$(BIN)/python -m pytest -p no:cacheprovider -q -n $(JOBS) --dist loadgroup \
		-m "not browser and not nbgrader and not hub and not slow" tests

lint: $(TESTSTAMP)
	$(BIN)/ruff check widgets tests benchmarks scripts

benchmark: $(TESTSTAMP)
	$(BIN)/python benchmarks/run.py

clean-generated:
	rm -rf assessments/release assessments/submitted assessments/autograded assessments/feedback assessments/gradebook.db

# -- the cohort server (JupyterHub on one Linux machine; see deploy/README.md). Run as root. ---------
# hub-install builds $(HUB_PREFIX) (a venv every account can read, configurable-http-proxy from npm,
# a read-only copy of course/ and modules/); a second run only updates what changed.
HUB_PREFIX ?= /opt/resilience-course
LEARNERS   ?= 5
STATE      ?= /var/tmp/rc-hub-demo
.PHONY: hub-install hub-demo

hub-install:
	PYTHONPATH=widgets $(PYTHON) -m resilience_course.hub.install --prefix $(HUB_PREFIX)

# a throwaway cohort on 127.0.0.1:PORT; STATE/hub-demo.json (0600) holds the URL, an admin API token and
# the passwords. Ctrl+C stops it and removes the demo accounts and their homes.
hub-demo: hub-install
	$(HUB_PREFIX)/venv/bin/resilience-course hub demo --port $(PORT) --learners $(LEARNERS) --state $(STATE) \
		--prefix $(HUB_PREFIX)
