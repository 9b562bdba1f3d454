# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
VENDOR := srishti/static/vendor
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test setup system-deps bench clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

$(VENDOR)/htmx.min.js: package.json
	npm install --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js

setup: $(BIN)/.installed $(VENDOR)/htmx.min.js

run: setup
	mkdir -p var
	$(BIN)/srishti manage migrate --verbosity 0
	$(BIN)/srishti manage compile_translations
	@$(BIN)/srishti demo
	@echo ""
	@echo "Srishti: open http://$(HOST):$(PORT)/ (stop with Ctrl-C)"
	@echo ""
	$(BIN)/srishti manage runserver --noreload $(HOST):$(PORT)

# Debian packages the tests need: the browser, Devanagari fonts for Hindi pages and PDFs,
# poppler to read PDFs back. Installed with apt when run as root, else named.
system-deps:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans Devanagari" || missing="$$missing fonts-noto-core"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "The tests need Debian packages:$$missing (sudo apt-get install$$missing)"; exit 1; \
		fi; \
	fi

test: setup system-deps
	mkdir -p var
	$(BIN)/srishti manage compile_translations
	$(BIN)/ruff check srishti tests bench
	$(BIN)/mypy srishti/scoring srishti/indicators/formulas.py srishti/programmes/decisions.py
	$(BIN)/pytest -q

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
