# sectracker: the two set-up commands are `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= out/demo.sqlite
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils chromium postgresql

.PHONY: demo test lint typecheck pytest bench system-deps docs clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,postgres,dask]'
	touch $(STAMP)

# System packages the tests and PDF output need (WeasyPrint's Pango, pdftotext,
# Chromium for browser tests, a PostgreSQL server); installed only when missing.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: $(STAMP) system-deps
	mkdir -p out
	rm -f $(DEMO_DB)
	$(BIN)/sectracker --db $(DEMO_DB) init
	$(BIN)/sectracker --db $(DEMO_DB) import --bundled
	$(BIN)/sectracker --db $(DEMO_DB) report --period 2020-H1 --format html,pdf,md --out out/2020-H1
	@echo "Edition written to out/2020-H1/ (index.html, edition.pdf, edition.md)"

lint: $(STAMP)
	$(BIN)/ruff check sectracker tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy sectracker

pytest: $(STAMP) system-deps
	$(BIN)/pytest -q -n 2

test: lint typecheck pytest

bench: $(STAMP) system-deps
	$(BIN)/python -m benchmarks.run

docs: $(STAMP)
	$(BIN)/sectracker codebook --format markdown > docs/codebook.md

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
