# planc — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUNTIME := $(VENV)/.runtime
STAMP  := $(VENV)/.dev
LOCK   := uv pip compile pyproject.toml --universal --python-version 3.11 -q

.PHONY: install demo test lint format golden bench fuzz schema score lock clean

# Both installs take exact versions from the lock (requirements/*.txt, see `make lock`).
$(RUNTIME): pyproject.toml requirements/runtime.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -c requirements/runtime.txt -e .
	touch $(RUNTIME)

$(STAMP): $(RUNTIME) requirements/dev.txt
	$(BIN)/python -m pip install -q -c requirements/dev.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(RUNTIME)  ## compile every plan in sources/ into out/ and print a summary
	$(BIN)/planc build sources -o out

lock:  ## refresh the lock of exact versions from pyproject.toml's ranges
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q uv
	$(BIN)/$(LOCK) -o requirements/runtime.txt
	$(BIN)/$(LOCK) --extra dev -o requirements/dev.txt

score: $(RUNTIME)  ## score every gold plan of ../shared/gold (micro F1 per field)
	$(BIN)/python ../shared/tools/score_corpus.py --planc $(BIN)/planc

test: $(STAMP)  ## lint, type-check, then the whole test suite
	$(BIN)/ruff check planc tests bench
	$(BIN)/ruff format --check planc tests bench
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check planc tests bench
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix planc tests bench
	$(BIN)/ruff format planc tests bench

golden: $(STAMP)  ## rewrite the golden files after a reviewed change of output
	$(BIN)/python tests/update_golden.py

schema: $(STAMP)
	$(BIN)/planc schema plan -o schemas/plan.schema.json
	$(BIN)/planc schema diff -o schemas/diff.schema.json

bench: $(STAMP)  ## speed and memory figures (not a test)
	$(BIN)/python bench/run.py

fuzz: $(STAMP)  ## a long property-based run
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests -m fuzz -p no:cacheprovider

clean:
	rm -rf $(VENV) out/*/ .pytest_cache .mypy_cache .ruff_cache
