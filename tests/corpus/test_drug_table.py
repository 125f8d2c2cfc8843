"""The committed Table of Drugs and Chemicals table and the script that rebuilds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.alphabetic_index import DRUG_TERMS_TABLE, read_index_entries
from tests.corpus.build_scripts import load_build_script



def test_each_column_of_a_substances_row_is_an_entry_citing_the_row_and_column():
    entries = {e.path: e for e in read_index_entries((DRUG_TERMS_TABLE,))}
    accidental = entries[("Acetaminophen", "poisoning|overdose")]
    assert accidental.code == "T39.1X1"
    assert accidental.modifiers[-1] == "(accidental) (unintentional)"  # need not be named
    assert accidental.citation() == ("Table of Drugs and Chemicals: Acetaminophen, Poisoning, "
                                     "Accidental (unintentional) T39.1X1")
    assert entries[("Acetaminophen", "poisoning|overdose", "intentional|self-harm")].code == \
        "T39.1X2"
    assert entries[("Acetaminophen", "poisoning|overdose", "assault")].code == "T39.1X3"
    assert entries[("Acetaminophen", "poisoning|overdose", "undetermined")].code == "T39.1X4"
    assert entries[("Acetaminophen", "adverse effect")].code == "T39.1X5"
    assert entries[("Acetaminophen", "underdosing")].code == "T39.1X6"
    # a substance's "see" gives the named row's codes: "Aleve - see Naproxen"
    aleve = entries[("Aleve", "poisoning|overdose")]
    assert aleve.code == entries[("Naproxen", "poisoning|overdose")].code
    assert aleve.via.startswith("see Naproxen; Table of Drugs and Chemicals: Naproxen, ")
    # a column the Table leaves empty ("--") has no entry
    assert ("1-propanol", "adverse effect") not in entries


@pytest.mark.slow
def test_the_build_script_rebuilds_the_committed_table_byte_for_byte(tmp_path, monkeypatch):
    module = load_build_script("build_drug_terms", monkeypatch)
    if not Path(module.SOURCE_ZIP).exists():
        pytest.skip("../shared is not beside this checkout")
    monkeypatch.setattr(module, "OUT", tmp_path / "drug_terms.tsv.gz")
    assert module.main() == 0
    assert (tmp_path / "drug_terms.tsv.gz").read_bytes() == DRUG_TERMS_TABLE.read_bytes()
