# `make run` starts the dashboard, `make test` runs every test (browser tests included).
# Both create .venv on first use; installs are skipped while the requirements files are
# unchanged (a stamp in .venv holds a hash of them).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: run test lint format bench bench-full deps dev-deps clean-venv

# Install $(1) (a requirements file) unless the stamp already holds the hash of it and of
# requirements.txt, which every other file includes.
define pip_install
	@want="$$(cat $(1) requirements.txt | sha256sum | cut -c1-16)"; \
	stamp="$(VENV)/.installed-$(1)"; \
	if [ "$$(cat "$$stamp" 2>/dev/null)" != "$$want" ]; then \
		echo "make: installing $(1) into $(VENV) ..."; \
		$(PY) -m pip install --quiet --disable-pip-version-check -r $(1) \
			&& echo "$$want" > "$$stamp"; \
	fi
endef

$(PY):
	$(PYTHON) -m venv $(VENV)

deps: $(PY)
	$(call pip_install,requirements.txt)

dev-deps: $(PY)
	$(call pip_install,requirements-dev.txt)

run: deps
	$(VENV)/bin/streamlit run app.py

test: dev-deps
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_java.sh
	$(PY) -m pytest $(PYTEST_ARGS)

lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: dev-deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# 100k and 1M synthetic events: about 1 and 2.5 minutes on 2 cores.
bench: deps
	$(PY) -m dashboard bench

# Adds 5M events (README: about 15 min on a quiet 2-core machine, most of it the import).
bench-full: deps
	$(PY) -m dashboard bench --events 100000 --events 1000000 --events 5000000 --runs 3

clean-venv:
	rm -rf $(VENV)
