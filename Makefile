# Thin targets: each one calls the CLI or pytest inside the project's .venv.
# `make setup` is idempotent and quick when nothing changed (scripts/setup_venv.sh): it installs the lock with uv
# (`uv venv` + `uv pip sync requirements.txt`; INSTALLER=pip for plain pip), rebuilds a .venv made with another
# Python, and says how to get Python 3.11 when PYTHON cannot be found.
PYTHON    ?= python3.11
INSTALLER ?= uv
VENV      := .venv
BIN       := $(VENV)/bin
# Parallel test workers (pytest-xdist); the machine this project is built on has two cores.
TEST_WORKERS ?= 2

export HF_HUB_DISABLE_PROGRESS_BARS := 1
export PYTHONHASHSEED := 0

.PHONY: setup figures test test-fast lint format bench review gallery report verify clean lab

setup:
	@PYTHON="$(PYTHON)" INSTALLER="$(INSTALLER)" VENV="$(VENV)" bash scripts/setup_venv.sh

figures: setup
	$(BIN)/opentrends run
	$(BIN)/opentrends contact-sheet

# The lint gate first (ruff check + format check, configured in pyproject.toml), then the whole suite.
# pytest exits 5 when it collects no tests; an empty suite is not a failure of the tree.
# On both cores (pytest-xdist). --dist loadscope: each test module runs whole on one worker, so a module-scoped
# fixture (the one forced run of the committed notebooks, the robustness variant runs, the gallery's browser,
# the runner's shared project) still runs once and its tests keep their order.
test: setup lint
	$(BIN)/python -m pytest --nbval -p no:cacheprovider -n $(TEST_WORKERS) --dist loadscope; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

# The quick loop while editing: everything but the tests marked `integration` (kernels, servers, browsers).
test-fast: setup
	$(BIN)/python -m pytest -m "not integration" -p no:cacheprovider -n $(TEST_WORKERS) --dist loadscope tests; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

# ruff, then the import contract of pyproject.toml (layers flow one way; siblings independent).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Every speed target, each printed beside its measured figure (never a timed test): no-op rebuild, cold build
# against sequential nbconvert, the Hub query layer at 2M rows and its scale table (0.2M, 2M, 20M rows).
bench: setup
	$(BIN)/python -m benchmarks all

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
