"""`coding-assistant ingest`: progress bars on stderr, a summary, non-zero on any bad file."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)

from assistant.config import Settings
from assistant.corpus.icd10cm_releases import LoadedRelease
from assistant.corpus.sources import find_files, load_page_records, load_release_files
from assistant.horizon import page_release
from assistant.index.embeddings import make_embeddings
from assistant.index.icd10cm_batches import icd10cm_batches
from assistant.index.ingest import IngestReport, SourceBatch, ingest_sources
from assistant.index.records_db import RecordsDB


def run_ingest(settings: Settings, page_paths: list[Path], with_icd: bool,
               console: Console, effective: date | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="coding-assistant-") as unpack:
        return _run(settings, page_paths, with_icd, console, effective, Path(unpack))


def _run(settings: Settings, page_paths: list[Path], with_icd: bool, console: Console,
         effective: date | None, unpack_dir: Path) -> int:
    report = IngestReport()
    missing = [p for p in page_paths if not p.exists()]
    for path in missing:
        report.errors.append(f"{path}: no such file or folder")
    found = find_files([p for p in page_paths if p.exists()], unpack_dir)
    if found.releases:
        console.print(f"Reading {len(found.releases)} ICD-10-CM release file(s)...")
    new = load_release_files(found, effective, report.errors)
    report.files += len(new)
    batches = _batches(found.pages, with_icd or bool(new), new, settings, report, console)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(description: str, done: int, total: int) -> None:
            if description not in tasks:
                tasks[description] = bar.add_task(description, total=total)
            bar.update(tasks[description], completed=done, total=total)

        ingest_sources(batches, settings, make_embeddings(settings.embedding), report,
                       progress)
    _summary(report, console)
    return 1 if report.errors else 0


def _batches(paths: list[Path], with_icd: bool, new: list[LoadedRelease], settings: Settings,
             report: IngestReport, console: Console) -> Iterator[SourceBatch]:
    # Pages of the shipped corpus are named relative to the project: corpus/pages/77418.txt
    for record in load_page_records(paths, settings.corpus_dir.parent, report.errors):
        report.files += 1
        release = page_release(record)
        yield SourceBatch(source=record.source.path, records=[record],
                          releases=[release] if release else [])
    if with_icd:
        stored = _stored_releases(settings)
        names = ", ".join(r.snapshot.source for r in stored + new)
        console.print("Loading ICD-10-CM (April 2026 tabular, history from the official "
                      f"releases FY2016-FY2026{'; loaded: ' + names if names else ''})...")
        yield from icd10cm_batches(settings.icd10cm_categories, stored, new)


def _stored_releases(settings: Settings) -> list[LoadedRelease]:
    path = settings.index_dir / "records.sqlite"
    if not path.exists():
        return []
    db = RecordsDB(path)
    try:
        return db.loaded_releases()
    finally:
        db.close()


def _summary(report: IngestReport, console: Console) -> None:
    console.print(
        f"files: {report.files}  records: {report.records}  chunks added: {report.added}  "
        f"unchanged: {report.unchanged}  removed: {report.removed}  errors: {len(report.errors)}"
    )
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False, soft_wrap=True)
    for error in report.errors:
        console.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
