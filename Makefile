# maca: `make run` serves the demo, `make test` runs the whole suite. Both set up what they need first.
#
# On a fresh Debian machine with only Python 3.11: the Python packages come locked from uv.lock (uv is installed
# into .tools/), the front-end packages locked from package-lock.json, and Debian packages through apt-get when run
# as root (otherwise the one apt-get line to run is printed).

PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
MACA := $(VENV)/bin/maca
HOST ?= 127.0.0.1
PORT ?= 8000

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_LINK_MODE := copy

FRONTEND := build/frontend
GOVUK := node_modules/govuk-frontend/dist/govuk

# Debian packages (PACKAGE:PROBE, see scripts/system-deps). WeasyPrint makes the PDFs with Pango and the system's
# fonts (the documents ask for Arial, which fontconfig maps to Liberation Sans, then DejaVu Sans); the tests open
# the DOCX and PDF files in real readers, LibreOffice and poppler's pdftotext.
RENDER_DEPS := libpango-1.0-0:lib:libpango-1.0.so.0 libpangoft2-1.0-0:lib:libpangoft2-1.0.so.0 \
	fonts-liberation:file:/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf \
	fonts-dejavu-core:file:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
READER_DEPS := libreoffice-writer-nogui:soffice poppler-utils:pdftotext
# The browser the end-to-end tests drive (Playwright with the system's Chromium: no browser is downloaded).
BROWSER_DEPS := chromium:chromium

.PHONY: run test bench screenshots check lint typecheck migrations-check pytest assets install system-deps render-deps \
	reader-deps browser-deps audit clean

## Set up, load the demo partnership (first run only), send the reminders due and serve it on http://$(HOST):$(PORT)
## with the background task worker beside the server (scripts/serve: Ctrl+C stops both)
run: export MACA_DEMO := 1
run: export MACA_HTTPS := 0
run: export MACA_BASE_URL := http://$(HOST):$(PORT)
run: install assets render-deps
	$(MACA) migrate --no-input
	$(MACA) collectstatic --no-input --verbosity 0
	$(MACA) load_demo --if-empty
	$(MACA) reminders
	@echo
	@echo "maca is running on http://$(HOST):$(PORT)/ with its task worker (press Ctrl+C to stop both)"
	MACA=$(MACA) scripts/serve $(HOST):$(PORT)

## Time the outputs against their budgets: the demo report as DOCX (1 s) and PDF (5 s), in a throwaway database
bench: export DATABASE_URL := sqlite:///$(CURDIR)/build/bench.sqlite3
bench: install assets render-deps
	mkdir -p build && rm -f build/bench.sqlite3
	$(MACA) migrate --no-input --verbosity 0
	$(MACA) load_demo --verbosity 0 > /dev/null
	$(MACA) bench_outputs

## Refresh the README's screenshots from the end-to-end journey (written to docs/screenshots/, small PNGs)
screenshots: install assets render-deps browser-deps
	rm -rf build/screenshots/readme
	$(VENV)/bin/pytest -q src/maca/tests/browser/test_journey.py
	$(VENV)/bin/python scripts/readme-screenshots build/screenshots/readme docs/screenshots

## Set up and run every check and the whole test suite (the browser tests save a screenshot of every page they
## visit under build/screenshots/)
test: install assets render-deps reader-deps browser-deps check pytest

check: lint typecheck migrations-check audit

## Audit the locked dependencies against known vulnerabilities (pip-audit --strict); where the advisory service
## cannot be reached it says the audit was skipped and why, never that nothing was found
audit: install
	$(VENV)/bin/python scripts/dependency-audit

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy

migrations-check: install
	$(MACA) makemigrations --check --dry-run

pytest: install assets render-deps reader-deps browser-deps
	$(VENV)/bin/pytest

install: $(VENV)/.installed

system-deps:
	@scripts/system-deps python3-venv:ensurepip npm:npm $(RENDER_DEPS) $(READER_DEPS) $(BROWSER_DEPS)

## What documents need at run time: Pango and fonts for WeasyPrint's PDFs
render-deps:
	@scripts/system-deps $(RENDER_DEPS)

## The readers the tests open rendered documents in: LibreOffice (DOCX) and poppler-utils (PDF)
reader-deps:
	@scripts/system-deps $(READER_DEPS)

## The browser the end-to-end tests drive: Debian's Chromium
browser-deps:
	@scripts/system-deps $(BROWSER_DEPS)

$(UV):
	@scripts/system-deps python3-venv:ensurepip
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --python $(PYTHON)
	@touch $@

node_modules/.installed: package.json package-lock.json
	@scripts/system-deps npm:npm
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## Copy GOV.UK Frontend into the static files (CSS, JS) and the site root (/assets/: fonts, images)
assets: $(FRONTEND)/.copied

$(FRONTEND)/.copied: node_modules/.installed
	rm -rf $(FRONTEND)
	mkdir -p $(FRONTEND)/static/govuk $(FRONTEND)/root
	cp $(GOVUK)/govuk-frontend.min.css $(GOVUK)/govuk-frontend.min.css.map \
	   $(GOVUK)/govuk-frontend.min.js $(GOVUK)/govuk-frontend.min.js.map $(FRONTEND)/static/govuk/
	cp -r $(GOVUK)/assets $(FRONTEND)/root/assets
	@touch $@

clean:
	rm -rf $(VENV) .tools node_modules build .pytest_cache .mypy_cache .ruff_cache
