"""Loading official ICD-10-CM release files on top of the index (slice-sized, fake embedding).

The test releases are written in the official order-file layout from the April 2026 tabular
and the committed releases. Their changes are real states of the code set at other times, put
back as if a later release made them: H81.4 split again into H81.41-H81.49 (its children until
FY2019), E87.2 billable again without E87.20-E87.29 (as before FY2023), E88.81 under its title
before FY2024. No code or title is made up.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.config import PROJECT_ROOT, Settings
from assistant.horizon import CoverageReason, coverage
from assistant.index.records_db import RecordsDB
from assistant.interfaces.cli import main
from assistant.records import HistoryAction, Status
from assistant.status import status_on
from tests.conftest import build_index
from tests.release_files import SLICE, fy2027_codes, write_order_file

SHARED = PROJECT_ROOT.parent / "shared" / "cms" / "icd10cm"


@pytest.fixture
def slice_settings(isolated_settings, monkeypatch) -> Settings:
    monkeypatch.setenv("CODING_ASSISTANT_ICD10CM_SLICE", ",".join(SLICE))
    settings = Settings()
    build_index(settings, [], SLICE)
    return settings


def _ingest(*args: str):
    return CliRunner().invoke(main, ["ingest", *args])


def _db(settings: Settings) -> RecordsDB:
    return RecordsDB(settings.index_dir / "records.sqlite")


def _record(settings: Settings, code: str):
    db = _db(settings)
    try:
        (record,) = db.find(code, "ICD-10-CM")
        return record
    finally:
        db.close()


def _snapshot(settings: Settings) -> tuple[dict, set]:
    db = _db(settings)
    try:
        rows = db._conn.execute("SELECT key, body FROM records").fetchall()
        return dict(rows), {c.id for c in db.iter_chunks()}
    finally:
        db.close()


# --------------------------------------------------------------------------- every kind of change


def test_a_new_fiscal_year_release_changes_the_codes_it_changes(slice_settings, tmp_path):
    lines = write_order_file(tmp_path / "icd10cm_order_2027.txt", fy2027_codes())
    i10_before = _record(slice_settings, "I10")
    result = _ingest(str(tmp_path / "icd10cm_order_2027.txt"))
    assert result.exit_code == 0, result.output
    oct1, nov = date(2026, 10, 1), date(2026, 11, 15)

    # billable -> header: expanded, its new children the replacements
    h814 = _record(slice_settings, "H81.4")
    assert h814.billable is False
    expanded = h814.history[-1]
    assert (expanded.date, expanded.action) == (oct1, HistoryAction.EXPANDED)
    assert expanded.replacements == ("H81.41", "H81.42", "H81.43", "H81.49")
    assert f"icd10cm_order_2027.txt, line {lines['H814']}" in expanded.note
    assert status_on(h814, nov).status == Status.NOT_BILLABLE
    assert status_on(h814, date(2026, 9, 30)).status == Status.ACTIVE
    assert {"H81.41", "H81.49"} <= set(h814.children)

    # a code the release adds: a record of that release, valid from its date
    h8141 = _record(slice_settings, "H81.41")
    assert h8141.source.path == "icd10cm_order_2027.txt" and h8141.parent == "H81.4"
    assert [(e.date, e.action) for e in h8141.history] == [(date(2019, 10, 1), HistoryAction.DELETED),
                                                           (oct1, HistoryAction.ADDED)]
    assert status_on(h8141, date(2026, 9, 30)).status == Status.DELETED
    assert status_on(h8141, nov).status == Status.ACTIVE

    # dropped codes: deleted, folded back into their billable parent
    e8720 = _record(slice_settings, "E87.20")
    deleted = e8720.history[-1]
    assert (deleted.date, deleted.action, deleted.replacements) == (oct1, HistoryAction.DELETED, ("E87.2",))
    assert status_on(e8720, nov).status == Status.DELETED
    e872 = _record(slice_settings, "E87.2")
    assert e872.billable is True and e872.title == "Acidosis"
    assert [(e.date, e.action) for e in e872.history][-1] == (oct1, HistoryAction.ADDED)
    assert status_on(e872, nov).status == Status.ACTIVE

    # a revised title is the title from that date
    e8881 = _record(slice_settings, "E88.81")
    assert e8881.title == "Metabolic syndrome"
    changed = e8881.history[-1]
    assert (changed.date, changed.action) == (oct1, HistoryAction.CHANGED)
    assert '"Metabolic syndrome and other insulin resistance"' in changed.note

    # an unchanged code keeps its record, and FY2027 now covers November 2026
    assert _record(slice_settings, "I10").to_dict() == i10_before.to_dict()
    db = _db(slice_settings)
    releases = db.releases("ICD-10-CM")
    db.close()
    fy2027 = [r for r in releases if r.source == "icd10cm_order_2027.txt"]
    assert [(r.effective, r.covers_through) for r in fy2027] == [(oct1, date(2027, 9, 30))]
    assert coverage(releases, "ICD-10-CM", nov).reason == CoverageReason.COVERED
    assert coverage(releases, "ICD-10-CM", nov).release.source == "icd10cm_order_2027.txt"


def test_before_loading_fy2027_a_november_2026_date_is_beyond_the_horizon(slice_settings):
    db = _db(slice_settings)
    releases = db.releases("ICD-10-CM")
    db.close()
    result = coverage(releases, "ICD-10-CM", date(2026, 11, 27))
    assert result.reason == CoverageReason.AFTER_NEWEST
    assert "FY2027, in effect since 2026-10-01, is not loaded" in result.explanation
    default = [r for r in releases if r.kind == "default"]
    assert [(r.effective, r.covers_through) for r in default] == [(date(2015, 10, 1),
                                                                   date(2026, 9, 30))]


def test_reingesting_the_same_release_changes_nothing(slice_settings, tmp_path):
    write_order_file(tmp_path / "icd10cm_order_2027.txt", fy2027_codes())
    assert _ingest(str(tmp_path / "icd10cm_order_2027.txt")).exit_code == 0
    before = _snapshot(slice_settings)
    again = _ingest(str(tmp_path / "icd10cm_order_2027.txt"))
    assert again.exit_code == 0, again.output
    assert "chunks added: 0" in again.output and "removed: 0" in again.output
    assert _snapshot(slice_settings) == before


def test_only_changed_texts_are_embedded_again(slice_settings, tmp_path):
    write_order_file(tmp_path / "icd10cm_order_2027.txt", fy2027_codes())
    _, chunks_before = _snapshot(slice_settings)
    result = _ingest(str(tmp_path / "icd10cm_order_2027.txt"))
    added = int(result.output.split("chunks added: ")[1].split()[0])
    _, chunks_after = _snapshot(slice_settings)
    assert 0 < added == len(chunks_after - chunks_before) < len(chunks_before) / 4


def test_releases_loaded_in_any_order_give_the_same_history(tmp_path, monkeypatch):
    fy2027 = fy2027_codes()
    april = dict(fy2027)
    del april["H8149"]  # a change the April file makes
    write_order_file(tmp_path / "icd10cm_order_2027.txt", fy2027)
    write_order_file(tmp_path / "icd10cm-order-April-2027.txt", april)
    histories = []
    for order in (("icd10cm_order_2027.txt", "icd10cm-order-April-2027.txt"),
                  ("icd10cm-order-April-2027.txt", "icd10cm_order_2027.txt")):
        monkeypatch.setenv("CODING_ASSISTANT_INDEX_DIR", str(tmp_path / f"index-{order[0]}"))
        monkeypatch.setenv("CODING_ASSISTANT_ICD10CM_SLICE", ",".join(SLICE))
        settings = Settings()
        build_index(settings, [], SLICE)
        for name in order:
            assert _ingest(str(tmp_path / name)).exit_code == 0
        records, _ = _snapshot(settings)
        histories.append(records)
        h8149 = _record(settings, "H81.49")
        assert [(e.date, e.action) for e in h8149.history][-2:] == [
            (date(2026, 10, 1), HistoryAction.ADDED), (date(2027, 4, 1), HistoryAction.DELETED)]
    assert histories[0] == histories[1]


def test_a_malformed_release_is_refused_with_its_line_and_the_index_is_untouched(
        slice_settings, tmp_path):
    path = tmp_path / "icd10cm_order_2027.txt"
    write_order_file(path, fy2027_codes())
    lines = path.read_bytes().decode("ascii").split("\r\n")
    lines[6] = lines[6][:14] + "2" + lines[6][15:]  # the billable flag must be 0 or 1
    path.write_bytes("\r\n".join(lines).encode("ascii"))
    before = _snapshot(slice_settings)
    result = _ingest(str(path))
    assert result.exit_code == 1
    assert "icd10cm_order_2027.txt, line 7" in result.output
    assert _snapshot(slice_settings) == before
    db = _db(slice_settings)
    assert db.loaded_releases() == []
    assert not [r for r in db.releases() if r.source == path.name]
    db.close()


def test_a_release_is_recognised_by_content_in_a_zip_with_its_date_given(slice_settings,
                                                                         tmp_path):
    source = tmp_path / "release.txt"  # a name that says nothing
    write_order_file(source, fy2027_codes())
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(source, "Code Descriptions/release.txt")
        zipped.writestr("Code Descriptions/readme.pdf", b"%PDF-1.4 not a release")
    no_date = _ingest(str(archive))
    assert no_date.exit_code == 1 and "--effective" in no_date.output
    result = _ingest(str(archive), "--effective", "2026-10-01")
    assert result.exit_code == 0, result.output
    assert _record(slice_settings, "H81.4").history[-1].date == date(2026, 10, 1)


def test_a_code_list_with_its_tabular_xml_gives_new_codes_their_notes(slice_settings, tmp_path):
    """The code-list form: billable from the hierarchy, titles and notes from the XML."""
    from assistant.corpus.icd10cm_files import read_tabular_xml

    xml_source = _installed_xml()
    codes = fy2027_codes()
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "code-list-April-2027.txt").write_text(
        "\r\n".join(["6", "H60-H95", *sorted(codes)]) + "\r\n", encoding="ascii")
    shutil.copy(xml_source, folder / "icd10cm-tabular-April-2027.xml")
    assert "H8141" not in read_tabular_xml(xml_source).titles
    result = _ingest(str(folder))
    assert result.exit_code == 0, result.output
    h814 = _record(slice_settings, "H81.4")
    assert (h814.history[-1].date, h814.history[-1].action) == (date(2027, 4, 1), HistoryAction.EXPANDED)
    # The XML has no H81.41: its record takes the title the releases gave it, and the notes
    # the XML states at H81.4 and above.
    h8141 = _record(slice_settings, "H81.41")
    assert h8141.title == "Vertigo of central origin, right ear"
    assert any(n.stated_at == "H81" for n in h8141.notes)


def _installed_xml() -> Path:
    import simple_icd_10_cm

    return sorted((Path(simple_icd_10_cm.__file__).parent / "data").glob("*.xml"))[0]


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/cms/icd10cm")
def test_loading_the_real_fy2026_release_changes_no_history(slice_settings):
    before, _ = _snapshot(slice_settings)
    result = _ingest(str(SHARED / "cms_2026_dx.zip"))
    assert result.exit_code == 0, result.output
    after, _ = _snapshot(slice_settings)
    assert {k: json.loads(v)["history"] for k, v in after.items()} == {
        k: json.loads(v)["history"] for k, v in before.items()}


def test_an_index_built_before_release_rows_is_read_without_being_written(slice_settings):
    import sqlite3

    from assistant.answer.service import CodingAssistant

    path = slice_settings.index_dir / "records.sqlite"
    with sqlite3.connect(path) as conn:  # the tables an index of older code lacks
        for table in ("releases", "release_files", "release_codes"):
            conn.execute(f"DROP TABLE {table}")
    before = path.read_bytes()

    assistant = CodingAssistant(slice_settings)
    answer = assistant.ask("Is E87.2 a billable code?")

    assert assistant.retriever.releases == []
    assert "run `coding-assistant ingest` again" in json.dumps(answer.to_dict())
    assert path.read_bytes() == before
