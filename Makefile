# Motcua — the two commands: `make run` and `make test` (docs/commands.md).
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
MOTCUA := $(VENV)/bin/motcua
# make test runs the suite on this many processes (pytest-xdist; each its own test database,
# ports and folders; docs/testing.md). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test test-fast e2e bench clean

install: $(VENV)/.installed

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed: pyproject.toml uv.lock $(UV)
	$(UV) sync --frozen --python $(PYTHON) --quiet
	@touch $@

run: install
	$(MOTCUA) migrate --noinput -v0
	MOTCUA_SIGNING_DEMO=$${MOTCUA_SIGNING_DEMO:-true} $(MOTCUA) seed-demo $(if $(DEMO_HISTORY),--history)
	MOTCUA_PAYMENT_SANDBOX=$${MOTCUA_PAYMENT_SANDBOX:-true} MOTCUA_PAYMENT_GATEWAYS=$${MOTCUA_PAYMENT_GATEWAYS-vnpay} \
	MOTCUA_DVCQG_SANDBOX=$${MOTCUA_DVCQG_SANDBOX:-true} MOTCUA_VNPOST_SANDBOX=$${MOTCUA_VNPOST_SANDBOX:-true} MOTCUA_POPULATION_SANDBOX=$${MOTCUA_POPULATION_SANDBOX:-true} \
	MOTCUA_SIGNING_DEMO=$${MOTCUA_SIGNING_DEMO:-true} \
	MOTCUA_SMS_SENDER=$${MOTCUA_SMS_SENDER-demo-sms} MOTCUA_ZALO_SENDER=$${MOTCUA_ZALO_SENDER-demo-zalo} \
	$(MOTCUA) serve --host $(HOST) --port $(PORT)

test: install
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-fast: install
	$(VENV)/bin/pytest -m "not e2e"

e2e: install
	$(VENV)/bin/pytest -m e2e

bench: install
	$(VENV)/bin/python -m bench

clean:
	rm -rf $(VENV) $(TOOLS) var .pytest_cache
