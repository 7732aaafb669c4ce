# Thin targets: each one calls the CLI or pytest inside the project's .venv.
# `make setup` is idempotent: it rebuilds .venv only when the lock or pyproject changed.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.opentrends-setup

export HF_HUB_DISABLE_PROGRESS_BARS := 1
export PYTHONHASHSEED := 0

.PHONY: setup figures test bench review gallery verify clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m pip check
	@touch $(STAMP)

figures: setup
	$(BIN)/opentrends run

# pytest exits 5 when it collects no tests; an empty suite is not a failure of the tree.
test: setup
	$(BIN)/python -m pytest --nbval -p no:cacheprovider; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

bench: setup
	$(BIN)/opentrends bench run

review: setup
	@echo "review: not yet (lands with the claims issue)"

gallery: setup
	$(BIN)/opentrends gallery

verify: setup
	$(BIN)/opentrends verify

clean:
	rm -rf build
