# Two commands for people: `make up` runs the whole platform, `make test` checks it.
# Both create .venv and install the repo into it on first use (and again when a
# pyproject or the constraints change). `make test` also installs the operators' and
# integrators' tools when they are missing (`make tools`): Debian's prometheus package
# (promtool and prometheus), the official AsyncAPI parser from npm (tools/asyncapi), and
# Debian's chromium with fonts-noto-cjk, the browser the console's tests drive.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PROJECTS := libs/common $(wildcard services/*)
PYPROJECTS := $(addsuffix /pyproject.toml,$(PROJECTS))
ASYNCAPI_TOOLS := tools/asyncapi/node_modules/.installed
# The Kubernetes version the rendered manifests are validated against.
KUBERNETES_VERSION ?= 1.32.0

.PHONY: up test reliability lint typecheck unit bench bench-felt bench-limits soak clean tools ops asyncapi personal-data

$(STAMP): $(PYPROJECTS) requirements-dev.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -r requirements-dev.txt
	touch $(STAMP)

$(ASYNCAPI_TOOLS): tools/asyncapi/package.json tools/asyncapi/package-lock.json
	cd tools/asyncapi && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(ASYNCAPI_TOOLS)

# promtool and prometheus from Debian (as root, as CI runs); kubectl (with its built-in
# kustomize) comes with the machine.
tools: $(ASYNCAPI_TOOLS)
	@command -v promtool >/dev/null && command -v prometheus >/dev/null || { \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -q --no-install-recommends prometheus >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends prometheus >/dev/null; }; }
	@command -v chromium >/dev/null && test -d /usr/share/fonts/opentype/noto || { \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk >/dev/null; }; }
	@command -v kubectl >/dev/null || { echo "kubectl (for kustomize) is not installed"; exit 1; }

up: $(STAMP)
	$(BIN)/tosei up

# Regenerate docs/asyncapi/<service>.yaml for every installed service (commit the result).
asyncapi: $(STAMP)
	$(BIN)/tosei asyncapi --write docs/asyncapi

# Regenerate docs/personal-data.md from the services' personal-data declarations (commit it).
personal-data: $(STAMP)
	$(BIN)/tosei personal-data --write docs/personal-data.md

# The operators' and integrators' files, checked as they are in the repository.
ops: $(STAMP) tools
	$(BIN)/tosei asyncapi --check docs/asyncapi
	$(BIN)/tosei personal-data --check docs/personal-data.md
	node tools/asyncapi/lint.mjs docs/asyncapi/*.yaml
	promtool check config deploy/prometheus/prometheus.yml
	promtool check rules deploy/prometheus/alerts.yml
	promtool test rules deploy/prometheus/tests/*.test.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
	rendered=$$(kubectl kustomize deploy/k8s) && printf '%s\n' "$$rendered" | \
	  $(BIN)/kubernetes-validate --strict --quiet -k $(KUBERNETES_VERSION) -

test: $(STAMP) ops
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -n 3 --dist loadfile --durations=25

# The fault suite alone, writing its figures into docs/reliability.md (commit them).
reliability: $(STAMP)
	TOSEI_WRITE_RELIABILITY=1 $(BIN)/pytest tests/system

bench: $(STAMP)
	$(BIN)/python bench/pipeline.py

# Start-up, the desk's POST /consultations and case.assigned through the real services, memory.
bench-felt: $(STAMP)
	$(BIN)/python bench/felt.py

# One rate-limit check of the public pages, in the console's database against in memory.
bench-limits: $(STAMP)
	$(BIN)/python bench/rate_limits.py

soak: $(STAMP)
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) .tosei .mypy_cache .pytest_cache .ruff_cache tools/asyncapi/node_modules
