"""Compare two folders of `coding-assistant batch` answers, question by question.

Usage: python bench/compare_answers.py BEFORE_DIR AFTER_DIR [--ignore-code-key KEY ...]

Each folder holds one `*.jsonl` per question set. Answers must be identical, except for the
code-entry keys named with --ignore-code-key (new keys a change adds on purpose). Prints each
difference and exits 1 when there is any, 0 when every answer is the same.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _without(answer: dict, ignored: set[str]) -> dict:
    answer = dict(answer)
    if isinstance(answer.get("codes"), list):
        answer["codes"] = [{k: v for k, v in code.items() if k not in ignored}
                           for code in answer["codes"]]
    return answer


def compare_file(before: Path, after: Path, ignored: set[str]) -> list[str]:
    old = [json.loads(line) for line in before.read_text().splitlines() if line.strip()]
    new = [json.loads(line) for line in after.read_text().splitlines() if line.strip()]
    if len(old) != len(new):
        return [f"{before.name}: {len(old)} answers before, {len(new)} after"]
    differences = []
    for a, b in zip(old, new):
        a, b = _without(a, ignored), _without(b, ignored)
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                differences.append(f"{before.name} {a.get('id')}: {key} differs:\n"
                                   f"  before: {json.dumps(a.get(key))[:400]}\n"
                                   f"  after:  {json.dumps(b.get(key))[:400]}")
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--ignore-code-key", action="append", default=[])
    args = parser.parse_args(argv)
    ignored = set(args.ignore_code_key)
    names = sorted(p.name for p in args.before.glob("*.jsonl"))
    missing = [n for n in names if not (args.after / n).exists()]
    differences = [f"{n}: missing after" for n in missing]
    answers = 0
    for name in names:
        if name in missing:
            continue
        answers += sum(1 for line in (args.before / name).read_text().splitlines() if line)
        differences += compare_file(args.before / name, args.after / name, ignored)
    for difference in differences:
        print(difference)
    ignoring = f" (ignoring code keys: {', '.join(sorted(ignored))})" if ignored else ""
    print(f"{len(names)} files, {answers} answers: {len(differences)} differences{ignoring}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
