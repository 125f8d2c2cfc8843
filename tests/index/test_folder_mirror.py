"""A folder ingest mirrors the folder: pages gone from it are removed, renamed ones are not
duplicated, and the code sets that are not files (ICD-10-CM) are left alone."""

from __future__ import annotations

import json

from click.testing import CliRunner

from assistant.config import Settings
from assistant.index.ingest import MirroredFolders, gone_pages
from assistant.index.lexical import LexicalIndex
from assistant.index.records_db import RecordsDB
from assistant.index.testing import HashEmbeddings
from assistant.index.vectors import open_vector_store
from assistant.interfaces.cli import main
from tests.conftest import SAMPLE_PAGE

SAMPLE_TEXT = SAMPLE_PAGE.read_text(encoding="utf-8")
# A made-up word that only the made-up page holds: a search for it finds that page or nothing.
MADE_UP_WORD = "zorblattic"


def made_up_page(word: str = MADE_UP_WORD) -> str:
    """The sample page's layout with made-up text in place of its descriptors and prose (no
    real code's text): a second page for tests."""
    lines = SAMPLE_TEXT.splitlines()
    prose = f"Made-up test text about {word} calibration; it describes no real service."
    for number in (1, 3, 4, 5):  # the paragraphs under each copyright line
        lines[number] = prose
    lines[6] = (lines[6]
                .replace("RADIATION TX DELIVERY IMRT", f"{word.upper()} CALIBRATION")
                .replace("NTSTY MODUL DLVR 1/MLT FLDS/ARCS PR TX SESSION",
                         f"{word.upper()} CALIBRATION TEST")
                .replace("Intensity modulated treatment delivery, single or multiple fields/arcs, "
                         "via narrow spatially and temporally modulated beams, binary, dynamic "
                         "MLC, per treatment session", f"{word.capitalize()} calibration, made up"))
    return "\n".join(lines) + "\n"


def ingest(*args: str) -> str:
    result = CliRunner().invoke(main, ["ingest", *args])
    assert result.exit_code == 0, result.output
    return result.output


def lookup(code: str) -> dict | None:
    result = CliRunner().invoke(main, ["lookup", code, "--json"])
    return json.loads(result.output) if result.exit_code == 0 else None


def sources_held(settings: Settings) -> dict[str, set[str]]:
    """Every place the index keeps a page: chunk, record, release, lexical and vector sources."""
    db = RecordsDB(settings.index_dir / "records.sqlite")
    chunks = {c.id: c.source for c in db.iter_chunks()}
    held = {
        "chunks": set(chunks.values()),
        "records": {row[0] for row in db._conn.execute("SELECT source FROM records")},
        "releases": {r.source for r in db.releases()},
        "page files": db.page_files(),
    }
    db.close()
    lexical = LexicalIndex.load(settings.index_dir / "lexical")
    held["lexical"] = {chunks.get(i, "?") for i in (lexical._ids if lexical else [])}
    vectors = open_vector_store(settings, HashEmbeddings()).get()["ids"]
    held["vectors"] = {chunks.get(i, "?") for i in vectors}
    return held


def test_a_page_gone_from_its_folder_is_removed_everywhere(isolated_settings, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "77418.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    (folder / "0000T.txt").write_text(made_up_page(), encoding="utf-8")
    ingest(str(folder))
    gone, kept = str(folder / "0000T.txt"), str(folder / "77418.txt")
    assert lookup("0000T") is not None
    assert all(place == {gone, kept} for place in sources_held(isolated_settings).values())

    (folder / "0000T.txt").unlink()
    output = ingest(str(folder))

    assert "pages removed: 1" in output
    assert f"removed {gone}: no longer in its folder" in output
    assert lookup("0000T") is None and lookup("77418") is not None
    held = sources_held(isolated_settings)
    assert all(place == {kept} for place in held.values()), held
    answer = CliRunner().invoke(main, ["ask", f"{MADE_UP_WORD} calibration", "--json"])
    assert answer.exit_code == 0 and "0000T" not in answer.output


def test_a_renamed_page_is_not_duplicated(isolated_settings, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "77418.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    ingest(str(folder))
    db = RecordsDB(isolated_settings.index_dir / "records.sqlite")
    before = db.chunk_count()
    db.close()

    (folder / "77418.txt").rename(folder / "77418.html")
    output = ingest(str(folder))

    assert "pages removed: 1" in output
    renamed = str(folder / "77418.html")
    assert all(place == {renamed} for place in sources_held(isolated_settings).values())
    db = RecordsDB(isolated_settings.index_dir / "records.sqlite")
    assert db.chunk_count() == before
    db.close()
    assert lookup("77418")["source"]["path"] == renamed


def test_an_emptied_folder_leaves_an_empty_index_that_still_answers(isolated_settings, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "77418.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    ingest(str(folder))
    (folder / "77418.txt").unlink()

    output = ingest(str(folder))

    assert "pages removed: 1" in output
    assert all(not place for place in sources_held(isolated_settings).values())
    assert lookup("77418") is None
    answer = CliRunner().invoke(main, ["ask", "radiation therapy delivery", "--json"])
    assert answer.exit_code == 0, answer.output
    assert json.loads(answer.output)["codes"] == []


def test_a_page_that_cannot_be_read_now_is_kept(isolated_settings, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    page = folder / "77418.txt"
    page.write_text(SAMPLE_TEXT, encoding="utf-8")
    ingest(str(folder))
    page.write_bytes(b"")

    result = CliRunner().invoke(main, ["ingest", str(folder)])

    assert result.exit_code == 1 and "pages removed: 0" in result.output
    assert lookup("77418") is not None


def test_pages_ingested_one_by_one_are_not_mirrored(isolated_settings, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, text in [("77418.txt", SAMPLE_TEXT), ("0000T.txt", made_up_page())]:
        (folder / name).write_text(text, encoding="utf-8")
    ingest(str(folder))
    output = ingest(str(folder / "77418.txt"))
    assert "pages removed: 0" in output and lookup("0000T") is not None


def test_icd10cm_is_untouched_by_a_folder_ingest(isolated_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("CODING_ASSISTANT_ICD10CM_SLICE", "E87")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "77418.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    ingest("--icd10cm", str(folder))
    before = sources_held(isolated_settings)
    icd_sources = before["chunks"] - {str(folder / "77418.txt")}
    assert icd_sources and lookup("E87.2") is not None

    (folder / "77418.txt").unlink()
    monkeypatch.chdir(folder)  # the folder named as "."
    output = ingest(".")

    assert "pages removed: 1" in output
    after = sources_held(isolated_settings)
    assert after["chunks"] == after["records"] == icd_sources
    assert after["vectors"] == before["vectors"] - {str(folder / "77418.txt")}
    assert lookup("E87.2") is not None and lookup("77418") is None


def test_the_project_folder_mirrors_only_the_pages_named_relative_to_it(isolated_settings):
    db = RecordsDB(isolated_settings.index_dir / "records.sqlite")
    for source in ("corpus/pages/77418.txt", "/elsewhere/pages/0000T.txt", "pages/0001T.txt"):
        db.keep_page_file(source, kept=True)
    mirror = MirroredFolders(prefixes=[""], present={"pages/0001T.txt"})
    assert gone_pages(db, mirror) == ["corpus/pages/77418.txt"]
    mirror = MirroredFolders(prefixes=["/elsewhere/pages/", "corpus/"], present=set())
    assert gone_pages(db, mirror) == ["/elsewhere/pages/0000T.txt", "corpus/pages/77418.txt"]
    db.close()
