# Two commands: `make run` serves the API on http://127.0.0.1:8000 (SQLite, Celery
# eager unless DATABASE_URL / REDIS_URL say otherwise); `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint setup migrate demo schema clients worker beat fuzz audit clean console

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the lockfile changes. Hashes pin every package exactly.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		--no-deps -r requirements.lock
	touch $@

setup: $(VENV)/.installed

migrate: setup
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_builtin_content

# Run again, this keeps the token printed the first time (it may be exported).
demo: migrate
	$(BIN)/python manage.py create_organization --name "Demo Buyer" --slug demo \
		--admin admin --password admin --superuser --token-name make-run --keep-existing-token

# A second `make run` beside a running one says so and leaves it alone.
run: setup
	@if $(BIN)/python -c "import socket, sys; sys.exit(socket.socket().connect_ex(('$(HOST)', $(PORT))))"; then \
		if $(BIN)/python -c "import urllib.request; urllib.request.urlopen('http://$(HOST):$(PORT)/healthz', timeout=3)" 2>/dev/null; then \
			echo "The service already runs on http://$(HOST):$(PORT)/ (nothing changed)."; exit 0; \
		fi; \
		echo "Port $(PORT) on $(HOST) is taken by another program: try 'make run PORT=8001'."; exit 1; \
	fi; \
	$(MAKE) --no-print-directory demo && \
	echo "Serving on http://$(HOST):$(PORT)/  (API docs: /api/docs/, console: /console/, admin UI: /admin/, admin/admin)" && \
	exec $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Rebuild the console's committed bundle (console/static/console/) from its lockfile;
# needs Node and npm, which `make run` does not (docs/console.md).
console:
	cd console && npm ci --no-audit --no-fund && npm run build

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Tests marked slow (the two schema fuzzers, minutes each) run in CI (CI=true)
# or with `make test SLOW=1`; a developer's default run leaves them out.
SLOW ?= $(CI)
test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(if $(SLOW),,-m "not slow") $(PYTEST_ARGS)

schema: setup
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file schema.yaml

# TypeScript types of the schema (clients/typescript/schema.d.ts, openapi-typescript),
# type-checked in strict mode against the README's requests. Needs node 20+ and npm;
# installs the pinned tools from the folder's lockfile.
clients: setup
	cd clients/typescript && npm ci --no-audit --no-fund --ignore-scripts
	$(BIN)/python manage.py spectacular --format openapi-json --file clients/typescript/schema.json
	cd clients/typescript && node generate-types.mjs schema.json schema.d.ts \
		&& node node_modules/typescript/bin/tsc -p .

# Schemathesis, all phases including stateful, against gunicorn on loopback.
fuzz: setup
	.ci/fuzz-live

# Known vulnerabilities in every locked package (needs the vulnerability service
# of the package index; fails when a package cannot be checked).
audit: setup
	$(BIN)/pip-audit --strict --disable-pip --require-hashes -r requirements.lock --progress-spinner off

# Every queue by default; `make worker QUEUES=webhooks` runs a worker for one of
# them (celery: sweeper, maintenance, pings; scoring; reports; webhooks).
QUEUES ?= celery,scoring,reports,webhooks
worker: setup
	$(BIN)/celery -A config worker --loglevel=INFO --concurrency=2 -Q $(QUEUES)

beat: setup
	$(BIN)/celery -A config beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
