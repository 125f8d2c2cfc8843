"""The committed Neoplasm Table and the script that rebuilds it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from assistant.corpus.alphabetic_index import (NEOPLASM_TERMS_TABLE, read_index_entries,
                                               source_of, table_file)
from tests.corpus.build_scripts import load_build_script

# Main terms of icd10cm_index_2017.xml, copied as they are there.
INDEX_EXCERPT = """<ICD10CM.index><letter><title>M</title>
<mainTerm>
      <title>Metastasis, metastatic</title>
      <term level="1">
        <title>abscess</title>
        <see>Abscess</see>
      </term>
      <term level="1">
        <title>calcification</title>
        <code>E83.59</code>
      </term>
      <term level="1">
        <title>cancer</title>
        <term level="2">
          <title>from specified site</title>
          <see>Neoplasm, malignant, by site</see>
        </term>
        <term level="2">
          <title>to specified site</title>
          <see>Neoplasm, secondary, by site</see>
        </term>
      </term>
      <term level="1">
        <title>deposits<nemod>(in)</nemod></title>
        <see>Neoplasm, secondary, by site</see>
      </term>
      <term level="1">
        <title>disease</title>
        <seeAlso>Neoplasm, secondary, by site</seeAlso>
        <code>C79.9</code>
      </term>
      <term level="1">
        <title>spread<nemod>(to)</nemod></title>
        <see>Neoplasm, secondary, by site</see>
      </term>
    </mainTerm>
</letter><letter><title>S</title>
<mainTerm>
      <title>Seminoma</title>
      <code>C62.9-</code>
      <term level="1">
        <title>specified site</title>
        <see>Neoplasm, malignant, by site</see>
      </term>
    </mainTerm>
</letter><letter><title>T</title>
<mainTerm>
      <title>Tumorlet</title>
      <see>Neoplasm, uncertain behavior, by site</see>
    </mainTerm>
</letter></ICD10CM.index>"""


def _table() -> dict[tuple[str, ...], object]:
    return {e.path: e for e in read_index_entries((NEOPLASM_TERMS_TABLE,))}


def _by_site(entries, site: tuple[str, ...]) -> dict[str, object]:
    """The rows of a site by their column's first word ("malignant", "secondary", ...)."""
    return {path[len(site)].split("|")[0]: e for path, e in entries.items()
            if path[:-1] == site}


def test_each_column_of_a_sites_row_is_an_entry_citing_the_row_and_column():
    prostate = _by_site(_table(), ("prostate",))
    assert {col: e.code for col, e in prostate.items()} == {
        "malignant": "C61", "secondary": "C79.82", "in situ": "D07.5", "benign": "D29.1",
        "uncertain behavior": "D40.0", "unspecified behavior": "D49.59"}
    primary = prostate["malignant"]
    assert primary.modifiers[0] == "(gland)"
    assert primary.citation() == "Neoplasm Table: prostate, Malignant Primary C61"
    assert source_of(primary.via) == "ICD-10-CM Neoplasm Table FY2017"
    assert table_file(primary.via) == "corpus/icd10cm/neoplasm_terms_2017.tsv.gz"


def test_a_column_is_named_by_its_head_and_the_index_terms_that_send_a_coder_there():
    liver = _by_site(_table(), ("liver",))
    malignant = liver["malignant"].path[-1].split("|")
    # "Adenocarcinoma - see also Neoplasm, malignant, by site"; "Cancer - see also Neoplasm,
    # by site, malignant"
    assert {"adenocarcinoma", "cancer", "carcinoma"} <= set(malignant)
    # "Ulcer" sends one subterm of hundreds there ("malignant"): it is no morphology
    assert "ulcer" not in malignant
    secondary = liver["secondary"]
    assert secondary.code == "C78.7"
    assert set(secondary.path[-1].split("|")) == {"secondary", "metastasis", "metastatic"}
    # the secondary column's head says malignant: its terms may be named ("metastatic carcinoma")
    assert "(carcinoma)" in secondary.modifiers[-1]
    # a tumor may be named in a column its behaviour names ("benign tumor of the liver")
    assert "(tumor)" in liver["benign"].modifiers[-1]
    assert "tumor" in liver["unspecified behavior"].path[-1].split("|")


def test_a_morphology_the_table_lists_under_a_site_is_a_row_and_empty_cells_are_none():
    entries = _table()
    squamous = [e for path, e in entries.items()
                if path[:3] == ("cheek", "external", "squamous cell carcinoma")]
    assert [e.code for e in squamous] == ["C44.329"]
    # "connective tissue NEC, cheek" has no Ca in situ cell ("-")
    assert set(_by_site(entries, ("connective tissue NEC", "cheek"))) == {
        "malignant", "secondary", "benign", "uncertain behavior", "unspecified behavior"}


def test_a_morphology_is_also_read_below_a_row_that_gives_its_site_the_same_codes():
    # "skin NOS, cheek" gives the codes "cheek, external" gives, in every column; the Table
    # lists "squamous cell carcinoma" below the latter only
    entries = _table()
    skin_cheek = {col: e.code for col, e in _by_site(entries, ("skin NOS", "cheek")).items()}
    external = {col: e.code for col, e in _by_site(entries, ("cheek", "external")).items()}
    assert skin_cheek == external
    [squamous] = [e for path, e in entries.items()
                  if path[:3] == ("skin NOS", "cheek", "squamous cell carcinoma")]
    assert squamous.code == "C44.329"
    assert squamous.citation() == ("Neoplasm Table: cheek, external, squamous cell carcinoma, "
                                   "Malignant Primary C44.329")
    # only a morphology (a Malignant Primary code alone, no rows below it) is read elsewhere;
    # a part of a site ("liver, primary") is not
    elsewhere = [e for path, e in entries.items()
                 if not e.via.startswith(f"Neoplasm Table: {', '.join(path[:-1])}, ")]
    assert elsewhere and all(", Malignant Primary " in e.via for e in elsewhere)
    assert {"basal cell carcinoma", "squamous cell carcinoma"} <= {
        e.via.split(", ")[-2] for e in elsewhere}


def test_the_column_a_reference_names(monkeypatch):
    module = load_build_script("build_neoplasm_terms", monkeypatch)
    assert module.column_of("Neoplasm, malignant, by site") == "2"
    assert module.column_of("Neoplasm, by site, malignant") == "2"
    assert module.column_of("Neoplasm,  uncertain behavior, by site") == "6"
    assert module.column_of("also Neoplasm, malignant, by site") == "2"
    assert module.column_of("Neoplasm, connective tissue, malignant") == ""  # a site of its own
    assert module.column_of("Neoplasm") == ""


def test_main_terms_are_read_by_their_own_reference_or_most_of_their_subterms(monkeypatch):
    module = load_build_script("build_neoplasm_terms", monkeypatch)
    terms = module.column_terms(ET.fromstring(INDEX_EXCERPT))
    # four of the six subterms that lead anywhere send to the secondary column
    assert terms["3"] == [("Metastasis, metastatic", "")]
    assert terms["6"] == [("Tumorlet", "")]
    assert terms["2"] == [("Seminoma", "")]  # its one reference, though it has a code
    level, modifiers = module.column_level("3", terms)
    assert level == "secondary|metastasis|metastatic"
    assert "(seminoma)" in modifiers and "(malignant)" in modifiers


@pytest.mark.slow
def test_the_build_script_rebuilds_the_committed_table_byte_for_byte(tmp_path, monkeypatch):
    module = load_build_script("build_neoplasm_terms", monkeypatch)
    if not Path(module.SOURCE_ZIP).exists():
        pytest.skip("../shared is not beside this checkout")
    monkeypatch.setattr(module, "OUT", tmp_path / "neoplasm_terms.tsv.gz")
    assert module.main() == 0
    assert (tmp_path / "neoplasm_terms.tsv.gz").read_bytes() == NEOPLASM_TERMS_TABLE.read_bytes()
