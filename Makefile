# planc — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint format golden bench fuzz schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)  ## compile every plan in sources/ into out/ and print a summary
	$(BIN)/planc build sources -o out

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
