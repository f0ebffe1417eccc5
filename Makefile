# FundPortal: `make run` starts the demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Where the links in emails point (the demo's manager approval links, invitations): the port served on.
PORTAL_URL ?= http://127.0.0.1:$(PORT)
PYTEST_ARGS ?=

.PHONY: run test install messages clean

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error  # vnu-jar would fetch a Java without a system one
	touch $@

install: $(VENV)/.installed node_modules/.installed

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

run: messages
	$(PY) manage.py migrate --no-input -v0
	PORTAL_URL=$(PORTAL_URL) $(PY) manage.py seed_demo
	@echo "FundPortal on http://127.0.0.1:$(PORT)/ — demo accounts are listed in README.md"
	PORTAL_URL=$(PORTAL_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: messages
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
