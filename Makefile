# Thin targets: each one calls the CLI or pytest inside the project's .venv.
# `make setup` is idempotent: it rebuilds .venv only when the lock or pyproject changed.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.opentrends-setup
# The notebooks' kernel, registered inside the venv (--sys-prefix) so jupyter, nbconvert and papermill started
# from the venv find it by name and nothing is written to ~/.local. PYTHONHASHSEED=0 as in every other run.
KERNEL := $(VENV)/share/jupyter/kernels/opentrends/kernel.json

export HF_HUB_DISABLE_PROGRESS_BARS := 1
export PYTHONHASHSEED := 0

.PHONY: setup figures test lint format bench review gallery report verify clean lab

setup: $(STAMP) $(KERNEL)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m pip check
	@touch $(STAMP)

$(KERNEL): $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name opentrends --display-name "Python (opentrends)" \
		--env PYTHONHASHSEED 0

figures: setup
	$(BIN)/opentrends run

# The lint gate first (ruff check + format check, configured in pyproject.toml), then the whole suite.
# pytest exits 5 when it collects no tests; an empty suite is not a failure of the tree.
test: setup lint
	$(BIN)/python -m pytest --nbval -p no:cacheprovider; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

# ruff, then the import contract of pyproject.toml (layers flow one way; siblings independent).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup
	$(BIN)/opentrends bench run

# Everything a reviewer checks, with a one-page report: snapshots, nbval, re-rendered figures, the claims ledger.
review: setup
	$(BIN)/opentrends review

gallery: setup
	$(BIN)/opentrends gallery

# The findings-first report (report/index.html); `opentrends run` rebuilds it with the gallery.
report: setup
	$(BIN)/opentrends report

verify: setup
	$(BIN)/opentrends verify

# JupyterLab on notebooks/ with the `opentrends` kernel as the default. --allow-root only when run as root
# (containers); --no-browser when there is no display to open one on (Linux without X or Wayland, e.g. SSH).
# Figures saved from cells go to build/scratch/figures/; only `opentrends run` writes the committed figures/.
# LAB_ARGS passes more options, e.g. `make lab LAB_ARGS=--port=8899`.
LAB_FLAGS = $(if $(filter 0,$(shell id -u)),--allow-root) \
	$(if $(or $(DISPLAY),$(WAYLAND_DISPLAY),$(filter Darwin,$(shell uname -s))),,--no-browser)

lab: setup
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)/notebooks" \
		--MappingKernelManager.default_kernel_name=opentrends $(strip $(LAB_FLAGS)) $(LAB_ARGS)

clean:
	rm -rf build
