"""What an ingest reads: code pages from files/folders, official release files (ICD-10-CM,
HCPCS Level II and the physician fee schedule, in files, folders or zips, told apart by their
content), and the ICD-10-CM code set."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.corpus.errors import PageError
from assistant.corpus.icd10cm_files import (CODE_LIST, ORDER, TABULAR_XML, ReleaseFileError,
                                            effective_from_name, file_kind, read_release_file,
                                            TabularXml, read_tabular_xml)
from assistant.corpus.icd10cm_history import in_tabular
from assistant.corpus.icd10cm_releases import (CodeState, LoadedRelease, Snapshot, dotted,
                                               fiscal_year)
from assistant.corpus.official_files import (CONTRACTOR_TEXT, FEE_SCHEDULE_CSV, HCPCS_XLSX,
                                             companion, official_kind)
from assistant.corpus.pages import PAGE_SUFFIXES, find_pages, load_page
from assistant.records import CodeRecord

_MONTH_NAMES = {1: "January", 4: "April", 10: "October"}


@dataclass
class FoundFiles:
    """Files under the paths an ingest was given, sorted by kind."""

    releases: list[Path] = field(default_factory=list)
    xmls: list[Path] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)
    hcpcs: list[Path] = field(default_factory=list)
    fee_schedules: list[Path] = field(default_factory=list)
    # "file: why": files not read (CMS's companion files, documentation) and files refused
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def find_files(paths: list[Path], unpack_dir: Path) -> FoundFiles:
    """Release files and tabular XMLs (by content) apart from page files; zips are unpacked
    into `unpack_dir` (only their release files and XMLs)."""
    found = FoundFiles()
    for path in paths:
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                _sort_file(file, found, unpack_dir, in_folder=True)
        else:
            _sort_file(path, found, unpack_dir, in_folder=False)
    return found


def _sort_file(path: Path, found: FoundFiles, unpack_dir: Path, in_folder: bool) -> None:
    suffix = path.suffix.lower()
    if suffix == ".zip":
        if zipfile.is_zipfile(path):
            _unpack(path, found, unpack_dir)
        else:
            found.errors.append(f"{path}: not a readable zip archive (damaged or cut short)")
        return
    if _sort_official(path, found):
        return
    kind = file_kind(path) if suffix in (".txt", ".xml", "") else None
    if kind in (ORDER, CODE_LIST):
        found.releases.append(path)
    elif kind == TABULAR_XML:
        found.xmls.append(path)
    elif in_folder and companion(path):
        found.skipped.append(f"{path.name}: not a release file or a code page "
                             "(documentation or a companion file)")
    elif not in_folder and suffix not in PAGE_SUFFIXES:
        found.errors.append(f"{path}: not a file the assistant reads: not an ICD-10-CM, HCPCS "
                            "or physician fee schedule release file, nor a code page (.txt, "
                            ".html)")
    elif not in_folder or suffix in PAGE_SUFFIXES:
        found.pages.append(path)


def _sort_official(path: Path, found: FoundFiles) -> bool:
    """HCPCS and fee schedule files (by content); whether the file was one."""
    kind = official_kind(path)
    if kind in (CONTRACTOR_TEXT, HCPCS_XLSX):
        found.hcpcs.append(path)
    elif kind == FEE_SCHEDULE_CSV:
        found.fee_schedules.append(path)
    return kind is not None


# Members of a zip worth unpacking: the kinds of file an ingest reads.
_READ_SUFFIXES = (".txt", ".xml", ".csv", ".xlsx")


def _unpack(archive_path: Path, found: FoundFiles, unpack_dir: Path) -> None:
    try:
        _unpack_members(archive_path, found, unpack_dir)
    # zipfile raises RuntimeError for an encrypted member, NotImplementedError for an
    # unknown compression
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        raise ReleaseFileError(archive_path, f"is a damaged zip ({error}): download it "
                                             "again") from None


def _unpack_members(archive_path: Path, found: FoundFiles, unpack_dir: Path) -> None:
    target = unpack_dir / archive_path.stem
    try:
        with zipfile.ZipFile(archive_path) as archive:
            for member in archive.namelist():
                name = Path(member).name
                if member.endswith("/"):
                    continue
                if not name.lower().endswith(_READ_SUFFIXES):
                    found.skipped.append(f"{archive_path.name}: {name}: not a file the "
                                         "assistant reads")
                    continue
                path = target / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(archive.read(member))
                _sort_member(archive_path, path, found)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        found.errors.append(f"{archive_path}: a member cannot be read ({error}): the zip is "
                            "damaged or cut short")


def _sort_member(archive_path: Path, path: Path, found: FoundFiles) -> None:
    if _sort_official(path, found):
        return
    kind = file_kind(path) if path.suffix.lower() in (".txt", ".xml") else None
    if kind in (ORDER, CODE_LIST):
        found.releases.append(path)
    elif kind == TABULAR_XML:
        found.xmls.append(path)
    else:
        found.skipped.append(f"{archive_path.name}: {path.name}: not a release file or a code "
                             "page")


def load_release_files(found: FoundFiles, effective: date | None,
                       errors: list[str]) -> list[LoadedRelease]:
    """Each good release file as a loaded release; a bad one is added to `errors` (file and
    line) and skipped whole."""
    loaded = []
    for path in found.releases:
        try:
            loaded.append(_load_release(path, found.xmls, effective))
        except ReleaseFileError as error:
            errors.append(str(error))
    return loaded


def _load_release(path: Path, xmls: list[Path], effective: date | None) -> LoadedRelease:
    when = effective or effective_from_name(path.name)
    if when is None:
        raise ReleaseFileError(path, "cannot tell when it takes effect: name it for its fiscal "
                                     "year (icd10cm_order_2027.txt) or pass --effective "
                                     "YYYY-MM-DD")
    xml_path = _xml_beside(path, xmls, when)
    xml = read_tabular_xml(xml_path) if xml_path else None
    release = read_release_file(path, xml_path)
    # Only codes the April 2026 tabular lacks get records of this release, and so its notes.
    notes = {code: _xml_notes(xml, code) for code in release.codes
             if xml and not in_tabular(dotted(code))}
    codes = {code: CodeState(line.billable, line.title, release.cite(code))
             for code, line in release.codes.items()}
    year = fiscal_year(when)
    kind = "release" if (when.month, when.day) == (10, 1) else (
        f"{_MONTH_NAMES.get(when.month, when.strftime('%B'))} {when.year} update")
    snapshot = Snapshot(when, f"FY{year} {kind}", path.name,
                        titled=any(c.title for c in codes.values()), loaded=True)
    return LoadedRelease(snapshot, codes, notes, release.sha256)


def _xml_notes(xml: TabularXml, code: str) -> list[tuple[str, str, str]]:
    """The XML's notes for a code; for a code the XML does not list, those its nearest listed
    ancestor passes down (every kind but that ancestor's own inclusion terms)."""
    if code in xml.notes:
        return xml.notes[code]
    for length in range(len(code) - 1, 2, -1):
        notes = xml.notes.get(code[:length])
        if notes is not None:
            return [n for n in notes if n[0] != "inclusion_term"]
    return []


def _xml_beside(path: Path, xmls: list[Path], when: date) -> Path | None:
    beside = [x for x in xmls if x.parent == path.parent]
    same_date = [x for x in beside if effective_from_name(x.name) == when]
    if same_date:
        return same_date[0]
    return beside[0] if len(beside) == 1 else None


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
