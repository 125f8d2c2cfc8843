"""`coding-assistant ingest`: progress bars on stderr, a summary, non-zero on any bad file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)

from assistant.config import Settings
from assistant.corpus.sources import load_icd10cm_records, load_page_records
from assistant.index.ingest import IngestReport, SourceBatch, batches_by_source, ingest_sources
from assistant.index.models import document_embeddings
from assistant.index.vector_cache import open_pack


def run_ingest(settings: Settings, page_paths: list[Path], with_icd: bool,
               console: Console) -> int:
    report = IngestReport()
    missing = [p for p in page_paths if not p.exists()]
    for path in missing:
        report.errors.append(f"{path}: no such file or folder")
    batches = _batches([p for p in page_paths if p.exists()], with_icd, settings, report, console)
    # A bad device setting or a damaged vector pack fails before the progress bars start.
    embeddings = document_embeddings(settings)
    open_pack(settings.vector_pack)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(description: str, done: int, total: int) -> None:
            if description not in tasks:
                tasks[description] = bar.add_task(description, total=total)
            bar.update(tasks[description], completed=done, total=total)

        ingest_sources(batches, settings, embeddings, report, progress)
    _summary(report, console)
    return 1 if report.errors else 0


def _batches(paths: list[Path], with_icd: bool, settings: Settings, report: IngestReport,
             console: Console) -> Iterator[SourceBatch]:
    # Pages of the shipped corpus are named relative to the project: corpus/pages/77418.txt
    for record in load_page_records(paths, settings.corpus_dir.parent, report.errors):
        report.files += 1
        yield SourceBatch(source=record.source.path, records=[record])
    if with_icd:
        console.print("Loading ICD-10-CM (April 2026 tabular and validity since FY2019)...")
        yield from batches_by_source(load_icd10cm_records(settings.icd10cm_categories))


def _summary(report: IngestReport, console: Console) -> None:
    console.print(
        f"files: {report.files}  records: {report.records}  chunks added: {report.added}  "
        f"unchanged: {report.unchanged}  removed: {report.removed}  errors: {len(report.errors)}"
    )
    if report.embedded or report.reused:
        console.print(f"vectors computed: {report.embedded}  taken from the vector cache: "
                      f"{report.reused}")
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False, soft_wrap=True)
    for error in report.errors:
        console.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
