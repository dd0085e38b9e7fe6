# carepack: `make` sets everything up and builds; `make test` runs every check.
# Works from a clean clone as root on a bare Debian machine (system packages are
# installed here when missing) and with only the package registries reachable.

# Debian's own python3 when the machine has it (an optimized build, with PGO and LTO: the
# interpreter a bare Debian machine runs carepack with), else the first python3 on PATH.
# The project's venv and the bench's peers (mdpo) are made with the same one.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3) python3)
VENV := .venv
BIN := $(VENV)/bin
CAREPACK := $(BIN)/carepack
INSTALLED := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# What the build needs at run time, and what only the tests need.
# The handout (WeasyPrint) needs pango and harfbuzz, fontconfig and the Noto fonts it
# prints with; poppler-utils makes the handout previews (and checks the PDFs in the tests).
BUILD_PACKAGES := python3 python3-venv espeak-ng libespeak-ng1 gettext lame iso-codes \
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
  fonts-noto-core fonts-noto-cjk poppler-utils
TEST_PACKAGES := chromium default-jre-headless sox poppler-utils epubcheck unzip

.PHONY: all bytecode corpus build handout-previews book-reports screenshots test lint deadcode typecheck update extract check status clean distclean sysdeps test-sysdeps bench

all: build

# Install Debian packages that are missing; stop with a clear message if that fails.
define ensure_packages
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; } \
	  || { echo "error: could not install the system packages:$$missing" >&2; \
	       echo "       install them with apt-get (as root) and run make again." >&2; exit 1; }; \
	fi
endef

sysdeps:
	$(call ensure_packages,$(BUILD_PACKAGES))

test-sysdeps: sysdeps
	$(call ensure_packages,$(TEST_PACKAGES))
	@if ! command -v npm >/dev/null 2>&1; then \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends nodejs npm; } \
	  || { echo "error: could not install nodejs and npm (the browser tests need npm's axe-core and vnu-jar)" >&2; exit 1; }; \
	fi

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@$(MAKE) --no-print-directory bytecode corpus
	@touch $@

# The package's bytecode, as a wheel install would leave it (an editable install does not):
# start-up is part of every command's time, and with PYTHONDONTWRITEBYTECODE set Python
# would compile every module again on each run. Only stale files are compiled.
bytecode:
	@$(BIN)/python -m compileall -q pipeline >/dev/null

# The CMU pronouncing dictionary in NLTK's layout, for English reading levels, once per
# installation (the venv's share/nltk_data, where NLTK looks) rather than once per project.
corpus:
	@$(BIN)/python -m pipeline.readability.cmudict >/dev/null

# Only the build: a `make` with nothing changed takes as long as `carepack build` does.
build: sysdeps $(INSTALLED)
	$(CAREPACK) build
	@$(MAKE) --no-print-directory handout-previews

# The first and last page of every handout as PNGs, next to the page screenshots:
# output/screenshots/<doc>-<lang>-handout-first.png and ...-handout-last.png
# (poppler's pdftoppm; redone only for a handout newer than its PNGs).
handout-previews:
	@mkdir -p output/screenshots; count=0; \
	for pdf in output/*/*/*.pdf; do \
	  [ -f "$$pdf" ] || continue; \
	  lang=$$(basename "$$(dirname "$$pdf")"); doc=$$(basename "$$(dirname "$$(dirname "$$pdf")")"); \
	  count=$$((count + 1)); \
	  [ "output/screenshots/$$doc-$$lang-handout-last.png" -nt "$$pdf" ] && continue; \
	  last=$$(pdfinfo "$$pdf" | awk '/^Pages:/ {print $$2}'); \
	  pdftoppm -png -r 60 -singlefile -f 1 -l 1 "$$pdf" "output/screenshots/$$doc-$$lang-handout-first" && \
	  pdftoppm -png -r 60 -singlefile -f $$last -l $$last "$$pdf" "output/screenshots/$$doc-$$lang-handout-last" \
	  || exit 1; \
	done; echo "First and last page of $$count handout(s): output/screenshots/*-handout-*.png"

# A PNG of every built page, for people to look at: output/screenshots/<doc>-<lang>.png
# (Chromium; only on request, never as part of `make`).
screenshots: test-sysdeps $(INSTALLED)
	$(CAREPACK) build
	$(BIN)/python -m tests.browser output
	@echo "Screenshots of every page: output/screenshots/"
	@$(MAKE) --no-print-directory handout-previews

extract: $(INSTALLED)
	$(CAREPACK) extract

update: $(INSTALLED)
	$(CAREPACK) update

status: $(INSTALLED)
	$(CAREPACK) status

check: sysdeps $(INSTALLED)
	$(CAREPACK) check

lint: $(INSTALLED)
	$(BIN)/ruff check pipeline tests
	$(BIN)/ruff format --check pipeline tests

# Code nothing uses (vulture; the names it cannot see used are in pyproject.toml).
deadcode: $(INSTALLED)
	$(BIN)/vulture

typecheck: $(INSTALLED)
	$(BIN)/mypy pipeline

# The browser and book tests' checkers, pinned; --ignore-scripts because vnu-jar's
# install script would download a Java runtime (the system's Java runs vnu.jar instead)
# and Ace's would download Electron and a Chromium (Debian's chromium runs it instead).
NODE_TOOLS := node_modules/axe-core/axe.min.js node_modules/vnu-jar/build/dist/vnu.jar node_modules/.bin/ace-puppeteer
$(NODE_TOOLS):
	npm install --no-save --no-audit --no-fund --ignore-scripts --prefix . axe-core@4.14.1 vnu-jar@26.9.27 @daisy/ace@1.4.6

# Ace by DAISY's outline (table of contents, headings) and list of images of every
# talking book, for people to look at: output/reports/ace/<doc>-<lang>.html (on request).
book-reports: test-sysdeps $(INSTALLED) $(NODE_TOOLS)
	$(CAREPACK) build
	$(BIN)/python -m tests.book_tools output

test: test-sysdeps $(INSTALLED) $(NODE_TOOLS) lint typecheck
	$(BIN)/python -m pytest -q

# Benchmarks (not tests): floor, cold/no-change/one-entry builds, peers, scale, profile.
# The peer po4a is Debian's; mdpo and py-spy live in their own venv, pinned, so that
# nothing of ours (translate-toolkit has an md2po too) shadows them.
BENCH_PACKAGES := po4a
BENCH_TOOLS := .cache/bench-tools
$(BENCH_TOOLS)/.installed: tests/benchmarks/requirements.txt
	@test -x $(BENCH_TOOLS)/bin/python || $(PYTHON) -m venv $(BENCH_TOOLS)
	$(BENCH_TOOLS)/bin/python -m pip install --quiet -r tests/benchmarks/requirements.txt
	@touch $@

bench: sysdeps $(INSTALLED) $(BENCH_TOOLS)/.installed
	$(call ensure_packages,$(BENCH_PACKAGES))
	@$(MAKE) --no-print-directory bytecode corpus
	$(BIN)/python tests/benchmarks/bench.py $(BENCH_FLAGS)

clean:
	rm -rf output/*/ output/*.html .cache .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules
