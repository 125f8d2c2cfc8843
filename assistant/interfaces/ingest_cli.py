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
from assistant.errors import SettingsError
from assistant.corpus.icd10cm_releases import LoadedRelease
from assistant.corpus.pages import display_path
from assistant.corpus.hcpcs_files import HcpcsRelease
from assistant.corpus.mpfs_files import FeeScheduleFile
from assistant.corpus.official_files import load_fee_schedules, load_hcpcs_releases
from assistant.corpus.sources import (FoundFiles, find_files, load_page_records,
                                      load_release_files)
from assistant.horizon import page_release
from assistant.index import server_state
from assistant.index.icd10cm_batches import icd10cm_batches
from assistant.index.ingest import IngestReport, MirroredFolders, SourceBatch, ingest_sources
from assistant.index.models import document_embeddings
from assistant.index.official_batches import (fee_schedule_batch, hcpcs_batch,
                                              stored_fee_schedules, stored_hcpcs_releases)
from assistant.index.open import open_records, records_path
from assistant.index.records_db import RecordsDB
from assistant.index.vector_cache import open_pack


def run_ingest(settings: Settings, page_paths: list[Path], with_icd: bool,
               console: Console, effective: date | None = None) -> int:
    # server mode: the lease held, the working copy at the server's index, published after
    with tempfile.TemporaryDirectory(prefix="coding-assistant-") as unpack, \
            server_state.writing(settings):
        return _run(settings, page_paths, with_icd, console, effective, Path(unpack))


def _run(settings: Settings, page_paths: list[Path], with_icd: bool, console: Console,
         effective: date | None, unpack_dir: Path) -> int:
    report = IngestReport()
    missing = [p for p in page_paths if not p.exists()]
    for path in missing:
        report.errors.append(f"{path}: no such file or folder")
    found = find_files([p for p in page_paths if p.exists()], unpack_dir)
    report.errors += found.errors
    if found.releases:
        console.print(f"Reading {len(found.releases)} ICD-10-CM release file(s)...")
    new = load_release_files(found, effective, report.errors)
    report.files += len(new)
    official = _read_official(found, effective, report, console)
    pages = list(_page_batches(found.pages, settings, report))
    mirror = _mirror([p for p in page_paths if p.is_dir()], found.pages, settings)
    if report.errors and not (pages or new or with_icd or any(official) or mirror):
        # nothing usable was given: say why, and leave the index as it is
        _summary(report, console)
        return 1
    _check_index_dir(settings)
    batches = _batches(pages, with_icd or bool(new), new, settings, console, official)
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

        ingest_sources(batches, settings, embeddings, report, progress, mirror)
    _summary(report, console)
    return 1 if report.errors else 0


# HCPCS releases and fee schedule files read in this run
_Official = tuple[list[HcpcsRelease], list[FeeScheduleFile]]


def _read_official(found: FoundFiles, effective: date | None, report: IngestReport,
                   console: Console) -> _Official:
    """Read each HCPCS and fee schedule file, saying per file what it holds or why not."""
    def said(line: str) -> None:
        console.print(line, highlight=False, soft_wrap=True)

    releases = load_hcpcs_releases(found.hcpcs, effective, report.errors, said)
    schedules = load_fee_schedules(found.fee_schedules, effective, report.errors, said)
    for note in found.skipped:
        said(f"skipped {note}")
    report.files += len(releases) + len(schedules)
    return releases, schedules


def _page_batches(paths: list[Path], settings: Settings,
                  report: IngestReport) -> Iterator[SourceBatch]:
    # Pages of the shipped corpus are named relative to the project: corpus/pages/77418.txt
    for record in load_page_records(paths, settings.corpus_dir.parent, report.errors):
        report.files += 1
        release = page_release(record)
        yield SourceBatch(source=record.source.path, records=[record],
                          releases=[release] if release else [], page=True)


def _mirror(folders: list[Path], page_files: list[Path],
            settings: Settings) -> MirroredFolders | None:
    """The folders given, to be mirrored in an index that exists (None: no folder or index)."""
    if not folders or not records_path(settings).exists():
        return None
    root = settings.corpus_dir.parent
    prefixes = [display_path(folder, root) for folder in folders]
    return MirroredFolders(prefixes=["" if p == "." else p.rstrip("/") + "/" for p in prefixes],
                           present={display_path(page, root) for page in page_files})


def _batches(pages: list[SourceBatch], with_icd: bool, new: list[LoadedRelease],
             settings: Settings, console: Console,
             official: _Official = ([], [])) -> Iterator[SourceBatch]:
    yield from pages
    if with_icd:
        stored = _stored_releases(settings)
        names = ", ".join(r.snapshot.source for r in stored + new)
        console.print("Loading ICD-10-CM (April 2026 tabular, history from the official "
                      f"releases FY2016-FY2026{'; loaded: ' + names if names else ''})...")
        yield from icd10cm_batches(settings.icd10cm_categories, stored, new)
    releases, schedules = official
    if releases or schedules:
        stored_releases, stored_schedules = _stored_official(settings)
        # The fee schedule comes last: its records give way to those of every other source.
        if releases:
            yield hcpcs_batch(stored_releases, releases)
        if schedules:
            yield fee_schedule_batch(stored_schedules, schedules)


def _stored_official(settings: Settings) -> _Official:
    path = records_path(settings)
    if not path.exists():
        return [], []
    db = RecordsDB(path)
    try:
        return stored_hcpcs_releases(db), stored_fee_schedules(db)
    finally:
        db.close()


def _check_index_dir(settings: Settings) -> None:
    """A folder the index can be written to, and a readable index if one is there."""
    try:
        settings.index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SettingsError(f"CODING_ASSISTANT_INDEX_DIR {settings.index_dir} cannot be "
                            f"created ({error.strerror or error})") from None
    if records_path(settings).exists():
        open_records(settings).close()


def _stored_releases(settings: Settings) -> list[LoadedRelease]:
    path = records_path(settings)
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
        f"unchanged: {report.unchanged}  removed: {report.removed}  "
        f"pages removed: {len(report.pages_removed)}  errors: {len(report.errors)}",
        soft_wrap=True)
    for source in report.pages_removed:
        console.print(f"removed {source}: no longer in its folder", highlight=False,
                      soft_wrap=True)
    if report.embedded or report.reused:
        console.print(f"vectors computed: {report.embedded}  taken from the vector cache: "
                      f"{report.reused}")
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False, soft_wrap=True)
    for error in report.errors:
        console.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
