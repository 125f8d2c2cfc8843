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


def test_an_animals_bite_or_sting_gives_its_rows_poisoning_columns_as_the_index_says():
    # "Venom, venomous - see Table of Drugs and Chemicals, by animal or substance, poisoning",
    # "Sting" the same, "Bite, venomous - see Venom": a row the Table marks as a bite, sting
    # or venom is also found by those words, its poisoning columns cited through the Index.
    entries = {e.path: e for e in read_index_entries((DRUG_TERMS_TABLE,))}
    venom = "bite|venomous|sting|venom"
    accidental = entries[("Black", "widow spider", venom)]
    assert accidental.code == "T63.311"
    assert accidental.modifiers[-1] == "(accidental) (unintentional)"
    assert accidental.citation() == (
        "Index: Bite, venomous; Sting; Venom, venomous - see Table of Drugs and Chemicals, by "
        "animal or substance, poisoning; Table of Drugs and Chemicals: Black, widow spider, "
        "Poisoning, Accidental (unintentional) T63.311")
    assert entries[("Black", "widow spider", venom, "intentional|self-harm")].code == "T63.312"
    assert entries[("Jellyfish", venom)].code == "T63.621"      # "(sting)"
    # a drug's row is not an animal's ("Black widow spider antivenin" has an adverse effect),
    # and a row the Table does not mark as a bite, sting or venom keeps its columns' words
    assert ("Black", "widow spider", "antivenin", venom) not in entries
    assert ("Acetaminophen", venom) not in entries
    assert ("Lead NEC", venom) not in entries
