"""Find code pages on disk and tell which code each one is the page of.

A page's text never names its code: the code comes from the file name (`77418.txt`,
`0073T.html`) or from a `manifest.csv` (file, system, code) in the page's folder.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.corpus.codepage import parse_page
from assistant.corpus.errors import PageError
from assistant.records import CodeRecord

PAGE_SUFFIXES = {".txt", ".html", ".htm"}
MANIFEST = "manifest.csv"

_CPT = re.compile(r"^\d{4}[0-9FTU]$")
_HCPCS = re.compile(r"^[A-V]\d{4}$")


@dataclass(frozen=True)
class PageFile:
    path: Path
    system: str | None
    code: str | None


def system_of_code(code: str) -> str | None:
    if _CPT.match(code):
        return "CPT"
    if _HCPCS.match(code):
        return "HCPCS"
    return None


def find_pages(paths: list[Path]) -> list[PageFile]:
    """Every page file under the given files/folders, with its code where it can be told."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES))
        else:
            files.append(path)
    return [_identify(f) for f in files]


def _identify(path: Path) -> PageFile:
    manifest = _read_manifest(path.parent / MANIFEST)
    if path.name in manifest:
        system, code = manifest[path.name]
        return PageFile(path, system, code)
    if path.parent.parent.joinpath(MANIFEST).exists():
        rel = f"{path.parent.name}/{path.name}"
        parent_manifest = _read_manifest(path.parent.parent / MANIFEST)
        if rel in parent_manifest:
            system, code = parent_manifest[rel]
            return PageFile(path, system, code)
    code = path.stem.strip().upper()
    guessed = system_of_code(code)
    return PageFile(path, guessed, code if guessed else None)


def _read_manifest(path: Path) -> dict[str, tuple[str, str]]:
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        return {
            row["file"].strip(): (row["system"].strip(), row["code"].strip().upper())
            for row in rows
            if row.get("file") and row.get("code") and row.get("system")
        }


def load_page(page: PageFile, root: Path | None = None) -> CodeRecord:
    if not page.code or not page.system:
        raise PageError(
            page.path,
            "cannot tell which code this page is for: name the file after its code "
            "(e.g. 77418.txt) or add a row 'file,system,code' to manifest.csv beside it",
        )
    display = display_path(page.path, root)
    return parse_page(page.path, page.system, page.code, display_path=display)


def display_path(path: Path, root: Path | None) -> str:
    """How records cite a page file (their source): relative to `root` when under it, else
    its absolute path (the same whatever folder the ingest ran from)."""
    resolved = path.resolve()
    if root is not None:
        try:
            return str(resolved.relative_to(root.resolve()))
        except ValueError:
            pass
    return str(resolved)
