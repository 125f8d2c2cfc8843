"""One error for every line of a release file that breaks its layout.

A release with bad lines is not loaded at all (a release missing some of its codes would read
as deleting them), so the error names every bad line at once: the first ten by number and
reason, then a count.
"""

from __future__ import annotations

from pathlib import Path

from assistant.corpus.icd10cm_files import ReleaseFileError

BAD_LINES_NAMED = 10


def every_bad_line(path: Path, bad: list[ReleaseFileError]) -> ReleaseFileError:
    if len(bad) == 1:
        return bad[0]
    named = "; ".join(f"line {e.line}: {e.reason}" for e in bad[:BAD_LINES_NAMED])
    more = len(bad) - BAD_LINES_NAMED
    if more > 0:
        named += f"; and {more:,} more"
    return ReleaseFileError(path, f"{len(bad):,} lines break the layout, so the file is not "
                                  f"loaded: {named}")
