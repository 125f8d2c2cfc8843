"""Whose record a chapter's codes are for, from the ICD-10-CM tabular's own chapter notes."""

from __future__ import annotations

import simple_icd_10_cm as tabular

from assistant.corpus.record_notes import records_excluded, records_named


def test_the_chapters_notes_name_the_records_their_codes_are_and_are_never_for():
    pregnancy, perinatal, congenital = (tabular.get_notes(c) for c in ("15", "16", "17"))
    assert {"maternal", "newborn"} <= set(records_named(pregnancy))
    assert records_excluded(pregnancy) == ["newborn"]
    assert records_excluded(perinatal) == ["maternal"]
    assert records_excluded(congenital) == ["maternal"]
    # a chapter whose notes speak of no record
    assert records_named(tabular.get_notes("18")) == [] == records_excluded(tabular.get_notes("18"))
