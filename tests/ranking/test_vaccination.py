"""A shot of a vaccine read as a vaccination: the committed Alphabetic Index and Table of
Drugs, over hand-built records with their ICD-10-CM 2026 titles."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.corpus.alphabetic_index import read_index_entries
from assistant.corpus.wordnet import load_wordnet
from assistant.index.index_terms import IndexTermTable, build_index_terms
from assistant.index.synonyms import SynonymTable
from assistant.ranking.vaccination import VACCINATION, vaccination_reading
from assistant.records import CodeRecord
from assistant.retrieval.readings import ENCOUNTER_READING, Reading, readings_of

TODAY = date(2026, 11, 27)
MAIN_TERMS = ("Vaccination", "Vaccine NEC")


def _record(code: str, title: str) -> CodeRecord:
    return CodeRecord(system="ICD-10-CM", code=code, title=title, parent=code[:3],
                      kind="code" if "." in code else "category")


RECORDS = {r.code: r for r in [
    _record("T50.A91", "Poisoning by other bacterial vaccines, accidental (unintentional)"),
    _record("T50.B91", "Poisoning by other viral vaccines, accidental (unintentional)"),
    _record("Z23", "Encounter for immunization"),
    _record("Z28.9", "Immunization not carried out for unspecified reason"),
    _record("Z28.21", "Immunization not carried out because of patient refusal"),
]}
# the titles under Z28 the tabular holds beside those above
TITLES = {"Z28": [("Z28.310", "Unvaccinated for COVID-19"),
                  ("Z28.311", "Partially vaccinated for COVID-19"),
                  ("Z28.39", "Other underimmunization status")]}
INJECTIONS = frozenset(load_wordnet().injections)


@pytest.fixture(scope="module")
def table() -> IndexTermTable:
    entries = (e for e in read_index_entries() if e.path[0] in MAIN_TERMS)
    return build_index_terms(entries, lambda code: RECORDS.get(code), TODAY)


def read(question: str, table: IndexTermTable, synonyms: SynonymTable | None = None):
    readings = [Reading(question)] + readings_of(question, synonyms or SynonymTable())
    return vaccination_reading(readings, INJECTIONS, table,
                               lambda system, code: TITLES.get(code, []))


def test_a_shot_of_a_vaccines_kind_is_read_as_a_vaccination(table):
    # "Vaccine NEC, tetanus" is a row of the Table of Drugs
    reading = read("here for her tetanus booster", table)
    assert reading.text == f"{ENCOUNTER_READING} her tetanus {VACCINATION}"
    assert reading.situation
    here, shot = reading.replacements
    assert here.read_as == ENCOUNTER_READING
    assert (shot.said, shot.read_as) == ("booster", VACCINATION)
    assert "WordNet 3.0" in shot.source and "tetanus" in shot.source
    # what the tabular says a patient is vaccinated for (Z28.310 "Unvaccinated for COVID-19")
    assert read("here for my COVID boosters", table).text == \
        f"{ENCOUNTER_READING} my COVID {VACCINATION}"


def test_a_vaccination_asked_alone_is_read_as_the_encounter_for_it(table):
    reading = read("tetanus shot", table)
    assert reading.text == f"{ENCOUNTER_READING} tetanus {VACCINATION}"
    assert reading.situation
    [shot] = reading.replacements
    assert (shot.said, shot.read_as) == ("tetanus shot", reading.text)
    # a condition named beside it is what is asked, the shot only its cause
    assert read("sore arm after tetanus shot", table) is None


def test_no_vaccination_for_a_shot_of_what_the_code_set_names_no_vaccine_of(table):
    assert read("pt here for her depo shot", table) is None      # a brand name, in no source
    assert read("here for allergy shots", table) is None          # desensitization
    assert read("here for tetanus", table) is None                # no shot named
    assert read("pt refused tetanus shot", table) is None         # a refusal: its own reading
