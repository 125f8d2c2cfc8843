"""The committed Alphabetic Index table and the script that rebuilds it from ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.alphabetic_index import INDEX_TERMS_TABLE, IndexEntry, read_index_entries
from tests.corpus.build_scripts import load_build_script



def _entries() -> dict[tuple[str, ...], IndexEntry]:
    return {entry.path: entry for entry in read_index_entries()}


def test_the_table_holds_entries_codes_and_followed_cross_references():
    entries = _entries()
    assert len(entries) > 60_000
    nosebleed = entries[("Nosebleed",)]
    assert (nosebleed.code, nosebleed.via) == ("R04.0", "")
    assert nosebleed.citation() == "Index: Nosebleed R04.0"
    hardening = entries[("Hardening", "artery")]
    assert (hardening.code, hardening.via) == ("I70.90", "see Arteriosclerosis")
    assert hardening.citation() == "Index: Hardening, artery -> see Arteriosclerosis"
    # A "see" into a main term written with its other forms, then into a subterm.
    attack = entries[("Attack, attacks", "heart")]
    assert attack.code == "I21.3" and attack.via == "see infarct, myocardium"
    # Codes are kept as the FY2017 index gives them; ingest follows them to today's.
    assert entries[("Fracture, traumatic", "wrist")].code == "S62.10-"
    assert entries[("Headache",)].code == "R51"  # a heading since FY2021
    # Nonessential modifiers are kept per level, apart from the words that must be asked.
    assert entries[("Stroke",)].modifiers[0].startswith("(apoplectic)")


def test_cross_references_name_main_terms_as_coders_write_them():
    entries = _entries()
    # "see also Otitis media": the main term "Otitis", then its subterm "media".
    ear = entries[("Infection, infected, infective", "ear")]
    assert (ear.code, ear.via) == ("H66.9-", "see also Otitis media")
    # "Fracture" is the name of several main terms; the referring entry's own comes first.
    hip = entries[("Fracture, traumatic", "hip")]
    assert (hip.code, hip.via) == ("S72.00-", "see Fracture, femur, neck")
    # Nonessential modifiers and "NEC" are not part of the name a cross-reference uses.
    assert entries[("Dependence", "codeine")].code.startswith("F11")


def test_a_cross_reference_to_a_term_without_a_code_leads_on_to_its_subterms():
    entries = _entries()
    lumbar = entries[("Herniation", "nucleus pulposus", "lumbar region")]
    assert (lumbar.code, lumbar.via) == (
        "M51.26", "see Displacement, intervertebral disc, lumbar region")
    assert lumbar.citation() == ("Index: Herniation, nucleus pulposus, lumbar region -> "
                                 "see Displacement, intervertebral disc, lumbar region")
    # Where the term named has a code of its own, the coder stops there: nothing is copied.
    assert ("Hardening", "artery", "extremities") not in entries


def test_a_see_to_a_term_with_a_subterm_of_the_entry_s_name_reads_on_to_it():
    entries = _entries()
    # "Pain, foot - see Pain, limb, lower": "Pain, limb, lower" has a code (M79.60-) and a
    # subterm "foot" (M79.67-): the coder reads on to "foot", as the index means
    foot = entries[("Pain", "foot")]
    assert (foot.code, foot.via) == ("M79.67-", "see Pain, limb, lower, foot")
    assert entries[("Pain", "hand")].code == "M79.64-"
    assert entries[("Ulcer, ulcerated, ulcerating, ulceration, ulcerative", "heel")].code \
        == "L97.409"
    # only a subterm of the whole name: "Kidney, with calculus" is no "with calculus, ureter"
    kidney = entries[("Diverticulum, diverticula", "kidney", "with calculus")]
    assert (kidney.code, kidney.via) == ("N20.0", "see Calculus, kidney")
    # a "see also" leaves the entry where it points (the other term is to be read as well)
    assert entries[("Sinus",)].code == "L98.8"


def test_a_see_also_to_a_sibling_subterm_does_not_lend_it_its_subterms():
    # "History, family (of) - see also History, personal (of)": each keeps its own codes
    entries = _entries()
    assert entries[("History", "family", "malignant neoplasm NOS", "breast")].code == "Z80.3"
    assert entries[("History", "personal", "malignant neoplasm", "breast")].code == "Z85.3"
    assert ("History", "family", "malignant neoplasm", "breast") not in entries
    assert ("History", "personal", "malignant neoplasm NOS", "breast") not in entries
    assert ("History", "family", "thrombosis") not in entries
    # a "see also" to another main term still leads on: the same thing in other words
    assert entries[("Complaint", "pelvis, pelvic", "inflammatory")].code == "N73.9"


def test_the_build_script_refuses_to_run_without_shared(tmp_path, monkeypatch, capsys):
    module = load_build_script("build_index_terms", monkeypatch)
    monkeypatch.setattr(module, "SOURCE_ZIP", tmp_path / "missing.zip")
    monkeypatch.setattr(module, "OUT", tmp_path / "out.tsv.gz")
    assert module.main() == 1
    assert "../shared" in capsys.readouterr().err
    assert not (tmp_path / "out.tsv.gz").exists()


@pytest.mark.slow
def test_the_build_script_rebuilds_the_committed_table_byte_for_byte(tmp_path, monkeypatch):
    module = load_build_script("build_index_terms", monkeypatch)
    if not Path(module.SOURCE_ZIP).exists():
        pytest.skip("../shared is not beside this checkout")
    monkeypatch.setattr(module, "OUT", tmp_path / "index_terms.tsv.gz")
    assert module.main() == 0
    assert (tmp_path / "index_terms.tsv.gz").read_bytes() == INDEX_TERMS_TABLE.read_bytes()
