# sectracker: the two set-up commands are `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= out/demo.sqlite
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils chromium postgresql

.PHONY: demo test lint typecheck pytest bench system-deps docs clean embed-eval

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

SHARED ?= ../shared/data
DEMO_SERVE ?= 1

demo: $(STAMP) system-deps
	mkdir -p out
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/sectracker --db $(DEMO_DB) init
	$(BIN)/sectracker --db $(DEMO_DB) import --bundled
	$(BIN)/sectracker --db $(DEMO_DB) series import --bundled
	@# Country groups come from real third-party data when ../shared is present;
	@# without it the edition is built with the groups the package itself carries.
	@if [ -d "$(SHARED)" ]; then \
	  $(BIN)/sectracker --db $(DEMO_DB) countries import-income $(SHARED)/wb_income/oghist_income_long_fy1989_2026.csv && \
	  $(BIN)/sectracker --db $(DEMO_DB) countries import-bri $(SHARED)/bri/gfdc_bri_countries_2023-12.csv && \
	  $(BIN)/sectracker --db $(DEMO_DB) countries import-bri $(SHARED)/bri/lpv2026_bri_mou_year.csv && \
	  $(BIN)/sectracker --db $(DEMO_DB) countries import-unvotes $(SHARED)/unvotes/un_votes.csv $(SHARED)/unvotes/un_roll_calls.csv; \
	else echo "($(SHARED) not found: building with fewer country groups)"; fi
	$(BIN)/sectracker --db $(DEMO_DB) report --period 2020-H1 --format html,pdf,md --out out/2020-H1
	@echo "Edition written to out/2020-H1/ (index.html, edition.pdf, edition.md)"
	@if [ "$(DEMO_SERVE)" = "1" ]; then \
	  echo "Serving the dashboard (read-only public mode) at http://127.0.0.1:8000/ - Ctrl-C to stop."; \
	  echo "Add an analyst account with: .venv/bin/sectracker --db $(DEMO_DB) users add NAME --role analyst"; \
	  $(BIN)/sectracker --db $(DEMO_DB) serve --public; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check sectracker tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy sectracker

pytest: $(STAMP) system-deps
	$(BIN)/pytest -q -n 2

test: lint typecheck pytest

bench: $(STAMP) system-deps
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m benchmarks.run

# The optional sentence-embedding stage, in its own virtualenv (torch and the model are ~1.5 GB,
# never in .venv): its tests, then every gold file evaluated without and with --embed.
EMBED_VENV := .venv-embed
EMBED_SEED ?= ../shared/seed/000_b5431f1753da667a.txt
embed-eval:
	[ -x $(EMBED_VENV)/bin/sectracker ] || ($(PY) -m venv $(EMBED_VENV) && $(EMBED_VENV)/bin/pip install -q -e '.[dev,embed]')
	HF_HUB_OFFLINE=1 $(EMBED_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/pipeline/test_embed.py
	@for gold in tests/gold/*.gold.json; do \
	  name=$$(basename $$gold .gold.json); \
	  doc=$$(ls tests/gold/$$name.* | grep -v '\.gold\.json$$' | head -1); \
	  [ "$$name" = seed_2020h1 ] && doc=$(EMBED_SEED); \
	  [ -f "$$doc" ] || { echo "$$name: $$doc absent, skipped"; continue; }; \
	  for flag in --no-embed --embed; do \
	    printf '%-24s %-10s ' $$name $$flag; \
	    HF_HUB_OFFLINE=1 $(EMBED_VENV)/bin/sectracker evaluate --gold $$gold $$doc $$flag --json 2>/dev/null | \
	      $(EMBED_VENV)/bin/python -c 'import json,sys; r=json.load(sys.stdin); print(" ".join(f"{k}={r[k]}" for k in ("candidates","recall","precision","duplicate_rate","category_accuracy","country_f1","date_accuracy")))'; \
	  done; \
	done

docs: $(STAMP)
	$(BIN)/sectracker docs --out docs

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
