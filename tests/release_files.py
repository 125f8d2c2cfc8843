"""Official-layout ICD-10-CM order files for tests, written from the April 2026 release.

Their changes are real states of the code set at other times, put back as if a later release
made them: H81.4 split again into H81.41-H81.49 (its children until FY2019), E87.2 billable
again without E87.20-E87.29 (as before FY2023), E88.81 under its title before FY2024. No code
or title is made up.
"""

from __future__ import annotations

from pathlib import Path

from assistant.corpus.icd10cm_history import release_timeline

# The categories the test releases cover (and the slice the tests load).
SLICE = ["H81", "E87", "E88", "I10"]


def current_codes() -> dict[str, tuple[bool, str]]:
    """Undotted code -> (billable, long title) in the April 2026 release, for the slice."""
    timeline = release_timeline()
    titles = timeline.table.latest_titles()
    found = {}
    for code in timeline.codes():
        if code[:3] in SLICE and timeline.in_newest(code):
            found[code] = (timeline.states(code)[-1].billable, titles[code])
    return found


def fy2027_codes() -> dict[str, tuple[bool, str]]:
    """The test FY2027 release: the slice's April 2026 codes with one code split (H81.4), four
    dropped (E87.20-E87.29) so that their parent is billable again, and one retitled (E88.81)."""
    codes = current_codes()
    titles = release_timeline().table.latest_titles()
    codes["H814"] = (False, codes["H814"][1])
    for child in ("H8141", "H8142", "H8143", "H8149"):
        codes[child] = (True, titles[child])
    for child in ("E8720", "E8721", "E8722", "E8729"):
        del codes[child]
    codes["E872"] = (True, "Acidosis")
    codes["E8881"] = (False, "Metabolic syndrome")
    return codes


def write_order_file(path: Path, codes: dict[str, tuple[bool, str]]) -> dict[str, int]:
    """The official layout: order number, code, 0/1, short title (60), long title."""
    lines, numbers = [], {}
    for number, code in enumerate(sorted(codes), 1):
        billable, title = codes[code]
        lines.append(f"{number:05d} {code:<7} {int(billable)} {title[:60]:<60} {title}")
        numbers[code] = number
    path.write_text("\r\n".join(lines) + "\r\n", encoding="ascii")
    return numbers
