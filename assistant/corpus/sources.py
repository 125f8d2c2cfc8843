"""What an ingest reads: code pages from files/folders, and the ICD-10-CM code set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from assistant.corpus.errors import PageError
from assistant.corpus.pages import find_pages, load_page
from assistant.records import CodeRecord


def load_page_records(paths: list[Path], root: Path | None,
                      errors: list[str]) -> Iterator[CodeRecord]:
    """Every good page under `paths`; each bad one is added to `errors` and skipped."""
    for page in find_pages(paths):
        try:
            yield load_page(page, root)
        except PageError as error:
            errors.append(str(error))
        except OSError as error:
            errors.append(f"{page.path}: cannot be read ({error.strerror or error})")


def load_icd10cm_records(categories: list[str] | None) -> list[CodeRecord]:
    from assistant.corpus.icd10cm import load_icd10cm

    return list(load_icd10cm(categories or None))
