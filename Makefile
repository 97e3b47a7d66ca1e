# Quick start: `make demo` (build the corpus from data/raw and load it back), `make test`.
# Each target creates its own virtual environment in .venv from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_OUT ?= demo-out

.PHONY: demo test lint typecheck unit docs fuzz bench regen clean

DEMO_STAMP := $(VENV)/.demo-stamp

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The demo builds (the hf/ form needs the "hf" extra) and loads: nothing more is installed.
$(DEMO_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[hf]'
	touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	$(BIN)/python scripts/demo.py --out $(DEMO_OUT)

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

# `make test` is derandomised (the ci profile) on every machine, so the quick start and CI run
# the same examples and a red run reproduces; `make fuzz` explores at random.
HYPOTHESIS_PROFILE ?= ci
export HYPOTHESIS_PROFILE

unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -n 2 -p no:cacheprovider \
		tests/extract/test_extract_robust.py

# The API reference, generated from the docstrings; a warning (an unparsable annotation or
# docstring, a module that fails to import) fails the build.
API_MODULES := kyanh_corpus kyanh_corpus.models kyanh_corpus.codes kyanh_corpus.errors \
	kyanh_corpus.extras kyanh_corpus.limits kyanh_corpus.features kyanh_corpus.extract kyanh_corpus.build \
	kyanh_corpus.dataset kyanh_corpus.load kyanh_corpus.validate kyanh_corpus.export \
	kyanh_corpus.publish kyanh_corpus.card kyanh_corpus.croissant

docs: $(STAMP)
	$(BIN)/python -W error::UserWarning -m pdoc -o build/api $(API_MODULES)

test: lint typecheck docs unit

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

regen: $(STAMP)
	$(BIN)/python scripts/regen.py

clean:
	rm -rf $(VENV) $(DEMO_OUT) build .pytest_cache .mypy_cache .ruff_cache .hypothesis
