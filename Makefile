# Two commands matter: `make demo` and `make test`. Both set up the environment first.
# `make check` is the quick loop while working: lint, types, unit and integration tests.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
SAM_VENV := .tools/sam
# Lambda runs python3.12; use it here too: pyenv's 3.12 if present, else python3.12 on PATH.
PYTHON ?= $(shell for p in "$$(pyenv root 2>/dev/null)"/versions/3.12*/bin/python3.12 $$(command -v python3.12 2>/dev/null); do [ -x "$$p" ] && "$$p" -c 'import sys' 2>/dev/null && echo "$$p" && break; done)
ifeq ($(strip $(PYTHON)),)
$(error python3.12 is needed (the Lambda runtime's version): install it, e.g. `pyenv install 3.12`)
endif
export SAM_CLI_TELEMETRY := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Bytecode caches on: with PYTHONDONTWRITEBYTECODE set (some machines set it), every run
# compiled each module again and pytest rewrote every test module's asserts anew.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test check browser lint typecheck validate build lock unit integration packaging e2e bench setup clean openapi prebuilt

# The layer's lock constrains the venv too (without its hashes, which pip would demand of
# every package then), so that tests run the versions Lambda runs.
$(BIN)/registrar: pyproject.toml layers/registrar/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	sed -n 's/^\([A-Za-z0-9._-]*==[^ ]*\).*/\1/p' layers/registrar/requirements.txt \
		> $(VENV)/layer-constraints.txt
	$(BIN)/pip install --quiet -e ".[dev]" -c $(VENV)/layer-constraints.txt
	touch $@

$(SAM_VENV)/bin/sam:
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet "aws-sam-cli==1.170.0"
	touch $@

setup: $(BIN)/registrar

# The package's data made ready to load, as `make build` does in the layer
# (registrar/prebuilt.py): the demo, the tests and the benchmarks run what is deployed.
# Written beside the sources (gitignored); each file is used only while made from them.
prebuilt: setup
	$(BIN)/python -m registrar.prebuilt layers/registrar/registrar > /dev/null

demo: setup prebuilt
	$(BIN)/registrar demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy --config-file pyproject.toml

# The api's OpenAPI document, one per conference definition, written from the request model
# (registrar/web/openapi.py); tests/unit/test_openapi.py fails when one is out of date.
openapi: setup
	$(BIN)/python -m registrar.web.openapi

# infra/waf.yaml is the firewall's stack, in us-east-1 (CloudFront's web ACLs live there).
validate: setup $(SAM_VENV)/bin/sam
	$(BIN)/cfn-lint infra/template.yaml infra/waf.yaml
	$(SAM_VENV)/bin/sam validate --lint --template infra/template.yaml --region eu-central-1
	$(SAM_VENV)/bin/sam validate --lint --template infra/waf.yaml --region us-east-1

# `sam build` without Docker: SAM's pip builder needs the real python3.12 (not a pyenv
# shim) first on PATH; arm64 wheels are fetched by pip, nothing native is compiled.
# Then the package's data is made ready to load (registrar/prebuilt.py: the conference
# definitions validated, the language files as JSON, botocore's data lean), and the built
# code is compiled to bytecode: Lambda's /opt and /var/task are read-only, so without
# .pyc files every cold start compiles every module it imports (about a second for the api
# function). unchecked-hash: Python uses them as shipped, without comparing
# source timestamps (which the deployment zip does not keep exactly).
# The layer is built from its lock (layers/registrar/requirements.txt, every file's hash):
# pip first fetches every wheel the build needs, for this machine and for Lambda's aarch64,
# checking each against the lock; SAM's builder then sees only those files (no index), so
# no file that the lock does not name can reach the layer.
SAM_TEMPLATE ?= infra/template.yaml
SAM_BUILD_DIR ?= .aws-sam/build
SAM_CACHE_DIR ?= .aws-sam/cache
LAYER_LOCK := layers/registrar/requirements.txt
LOCKED_WHEELS := .aws-sam/locked-wheels
build: setup $(SAM_VENV)/bin/sam openapi
	rm -rf $(LOCKED_WHEELS)
	$(BIN)/pip download --quiet --require-hashes --no-deps --only-binary=:all: \
		-r $(LAYER_LOCK) --dest $(LOCKED_WHEELS)
	$(BIN)/pip download --quiet --require-hashes --no-deps --only-binary=:all: \
		--platform manylinux2014_aarch64 --implementation cp --python-version 3.12 \
		-r $(LAYER_LOCK) --dest $(LOCKED_WHEELS)
	PATH="$(dir $(PYTHON)):$$PATH" PIP_NO_INDEX=1 PIP_FIND_LINKS="$(CURDIR)/$(LOCKED_WHEELS)" \
		$(SAM_VENV)/bin/sam build --template $(SAM_TEMPLATE) \
		--build-dir $(SAM_BUILD_DIR) --cache-dir $(SAM_CACHE_DIR) --cached --parallel
	$(BIN)/python -m registrar.prebuilt $(SAM_BUILD_DIR)/RegistrarLayer/python/registrar
	$(PYTHON) -m compileall -q -f -j 0 --invalidation-mode unchecked-hash $(SAM_BUILD_DIR)

# Re-lock the layer after changing layers/registrar/requirements.in (and the same pins in
# pyproject.toml): resolved for Lambda (CPython 3.12, manylinux aarch64), with the hashes
# of every file of each pinned version.
lock: setup
	cd layers/registrar && ../../$(BIN)/uv pip compile requirements.in \
		--python-version 3.12 --python-platform aarch64-manylinux_2_28 --generate-hashes \
		--custom-compile-command "make lock" --output-file requirements.txt

unit: setup
	$(BIN)/pytest tests/unit -q

integration: setup
	$(BIN)/pytest tests/integration -q

# The build and packaging suite: `sam build` of the template (about a minute when its
# cache is cold) and every built handler importing from the built layer alone.
packaging: setup $(SAM_VENV)/bin/sam
	$(BIN)/pytest tests/packaging -q

e2e: setup
	$(BIN)/pytest tests/e2e -q

# Chromium for the browser tests, checked first: installed with apt as root on Debian, else
# one sentence saying what to install, before anything else has run.
browser:
	scripts/ensure-chromium

test: browser lint typecheck validate prebuilt
	$(BIN)/pytest -q

# The quick loop: unit and integration tests in one run, spread over the machine's cores
# (file by file: a module's fixtures stay in one process). The packaging (SAM build), e2e,
# browser and reliability suites run in `make test` only.
check: lint typecheck prebuilt
	$(BIN)/pytest -q -n auto --dist loadfile tests/unit tests/integration

bench: setup prebuilt
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(SAM_VENV) .aws-sam outbox .registrar .pytest_cache .mypy_cache .ruff_cache
