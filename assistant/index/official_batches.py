"""HCPCS Level II releases and physician fee schedule files as source batches.

Each batch's records are computed from every file of its kind loaded so far (stored in the
index) and the files being ingested now, so files may come in any order; the batch stores the
new files' rows once its records are in. The fee schedule's batch gives way: a code a page or
an HCPCS release describes keeps that record, and the fee schedule's record of it is kept apart
(`RecordsDB.fee_schedule`) for answers to merge.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assistant.corpus import hcpcs, mpfs
from assistant.corpus.hcpcs_files import HcpcsRelease
from assistant.corpus.mpfs_files import FeeScheduleFile
from assistant.index.ingest import SourceBatch
from assistant.index.records_db import RecordsDB

HCPCS_FILES = "hcpcs"
FEE_SCHEDULE_FILES = "fee schedule"
# The keys the two kinds of file declare their dates under.
HCPCS_RELEASES_KEY = "HCPCS releases"
FEE_SCHEDULE_RELEASES_KEY = "physician fee schedule files"
# Their records are searched by their descriptors (long and short): see SourceBatch.
DESCRIPTORS_ONLY = frozenset({"descriptor"})


def stored_hcpcs_releases(db: RecordsDB) -> list[HcpcsRelease]:
    return [HcpcsRelease.from_stored(header, rows)
            for header, rows in db.official_files(HCPCS_FILES)]


def stored_fee_schedules(db: RecordsDB) -> list[FeeScheduleFile]:
    return [FeeScheduleFile.from_stored(header, rows)
            for header, rows in db.official_files(FEE_SCHEDULE_FILES)]


def hcpcs_batch(stored: Sequence[HcpcsRelease], new: Sequence[HcpcsRelease]) -> SourceBatch:
    releases = hcpcs.merge_releases(stored, new)

    def store_new(db: RecordsDB) -> None:
        for release in new:
            header, rows = release.stored()
            db.store_official_file(HCPCS_FILES, release.name, release.effective, header, rows)

    return SourceBatch(hcpcs.SOURCE_PATH, hcpcs.hcpcs_records(releases),
                       hcpcs.hcpcs_source_releases(releases),
                       releases_key=HCPCS_RELEASES_KEY, after=store_new,
                       searched_sections=DESCRIPTORS_ONLY)


def fee_schedule_batch(stored: Sequence[FeeScheduleFile],
                       new: Sequence[FeeScheduleFile]) -> SourceBatch:
    files = mpfs.merge_files(stored, new)
    records = mpfs.fee_records(files)
    store_new = _store_fee_files(new, records)
    return SourceBatch(mpfs.SOURCE_PATH, records, mpfs.fee_source_releases(files),
                       releases_key=FEE_SCHEDULE_RELEASES_KEY, gives_way=True, after=store_new,
                       searched_sections=DESCRIPTORS_ONLY)


def _store_fee_files(new: Sequence[FeeScheduleFile],
                     records: list) -> Callable[[RecordsDB], None]:
    def store(db: RecordsDB) -> None:
        for schedule in new:
            header, rows = schedule.stored()
            db.store_official_file(FEE_SCHEDULE_FILES, schedule.name, schedule.effective,
                                   header, rows)
        db.replace_fee_schedule(records)
    return store
