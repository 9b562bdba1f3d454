# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
VENDOR := srishti/static/vendor
CHROMIUM ?= /usr/bin/chromium

.PHONY: run dev prepare test setup system-deps bench clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $@

# Front-end files from npm, copied where the app serves them (no CDN). Swagger UI serves
# the API's documentation at /api/docs.
$(VENDOR)/.installed: package.json package-lock.json
	npm install --no-audit --no-fund --silent
	mkdir -p $(VENDOR)/swagger-ui
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
		$(VENDOR)/swagger-ui/
	# The source maps are not shipped: drop the reference, which collectstatic would follow.
	sed -i '/sourceMappingURL/d' $(VENDOR)/swagger-ui/swagger-ui.css
	touch $@

setup: $(BIN)/.installed $(VENDOR)/.installed

prepare: setup
	mkdir -p var
	$(BIN)/srishti manage migrate --verbosity 0
	$(BIN)/srishti manage compile_translations
	@$(BIN)/srishti demo
	@echo ""
	@echo "Srishti: open http://$(HOST):$(PORT)/ (stop with Ctrl-C)"
	@echo ""

# As in production: DEBUG off, gunicorn, static files served by the app, the background
# worker beside it. `make dev` turns debugging on and reloads on every change.
run: prepare
	$(BIN)/srishti serve --bind $(HOST):$(PORT)

dev: prepare
	SRISHTI_DEBUG=1 $(BIN)/srishti serve --dev --bind $(HOST):$(PORT)

# Debian packages the tests need: the browser, Devanagari fonts for Hindi pages and PDFs,
# poppler to read PDFs back, nginx and openssl for the deployment test (docs/deploy.md).
# Installed with apt when run as root, else named.
system-deps:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans Devanagari" || missing="$$missing fonts-noto-core"; \
	[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing="$$missing nginx-light"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
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
