"""A neoplasm's other behaviours at its site: the committed Neoplasm Table's rows of "liver"
and "prostate", over hand-built records with their ICD-10-CM 2026 titles."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.corpus.alphabetic_index import NEOPLASM_TERMS_TABLE, read_index_entries
from assistant.index.index_terms import IndexTermTable, build_index_terms
from assistant.ranking.neoplasm import (other_behaviour_categories,
                                        primary_where_site_precedes_cancer)
from assistant.records import CodeRecord
from assistant.retrieval.index_lookup import index_matches

TODAY = date(2026, 11, 28)
SITES = ("liver", "prostate", "skin NOS")


def _record(code: str, title: str) -> CodeRecord:
    return CodeRecord(system="ICD-10-CM", code=code, title=title, kind="code")


RECORDS = {r.code: r for r in [
    _record("C22.9", "Malignant neoplasm of liver, not specified as primary or secondary"),
    _record("C78.7", "Secondary malignant neoplasm of liver and intrahepatic bile duct"),
    _record("D01.5", "Carcinoma in situ of liver, gallbladder and bile ducts"),
    _record("D13.4", "Benign neoplasm of liver"),
    _record("D37.6", "Neoplasm of uncertain behavior of liver, gallbladder and bile ducts"),
    _record("D49.0", "Neoplasm of unspecified behavior of digestive system"),
    _record("C61", "Malignant neoplasm of prostate"),
    _record("C79.82", "Secondary malignant neoplasm of genital organs"),
    _record("D07.5", "Carcinoma in situ of prostate"),
    _record("D29.1", "Benign neoplasm of prostate"),
    _record("D40.0", "Neoplasm of uncertain behavior of prostate"),
    _record("D49.59", "Neoplasm of unspecified behavior of other genitourinary organ"),
    _record("C44.329", "Squamous cell carcinoma of skin of other parts of face"),
    _record("C44.92", "Squamous cell carcinoma of skin, unspecified"),
    _record("C44.309", "Unspecified malignant neoplasm of skin of other parts of face"),
]}


@pytest.fixture(scope="module")
def table() -> IndexTermTable:
    entries = (e for e in read_index_entries((NEOPLASM_TERMS_TABLE,)) if e.path[0] in SITES
               and (len(e.path) == 2 or e.path[1] in ("cheek", "squamous cell carcinoma")))
    return build_index_terms(entries, RECORDS.get, TODAY)


def test_a_secondary_leaves_the_sites_other_columns_as_behaviours_named_otherwise(table):
    matches = index_matches("metastatic carcinoma to the liver", table)
    assert [m.term.citation for m in matches] == [
        "Neoplasm Table: liver, Malignant Secondary C78.7"]
    # C22 (primary: "Liver cell carcinoma" is one), in situ, benign, uncertain, unspecified
    assert other_behaviour_categories(matches, table) == {"C22", "D01", "D13", "D37", "D49"}


def test_a_morphology_is_read_in_its_column_and_the_others_are_named_otherwise(table):
    matches = index_matches("adenocarcinoma of prostate", table)
    assert [m.term.codes for m in matches] == [("C61",)]
    assert other_behaviour_categories(matches, table) == {"C79", "D07", "D29", "D40", "D49"}
    benign = index_matches("benign tumor of the prostate", table)
    assert [m.term.codes for m in benign] == [("D29.1",)]


def test_no_row_of_the_table_names_no_behaviour(table):
    assert other_behaviour_categories([], table) == frozenset()
    assert index_matches("enlarged prostate", table) == []


def test_a_morphology_of_the_skin_of_a_site_is_its_row_below_the_site(table):
    # "skin NOS, cheek" is listed with the codes of "cheek, external", whose morphology rows
    # it reads: squamous cell carcinoma there is C44.329, not the skin's unspecified C44.92
    matches = index_matches("squamous cell carcinoma of the skin of the left cheek", table)
    assert [m.term.codes for m in matches] == [("C44.329",)]
    assert matches[0].term.citation == ("Neoplasm Table: cheek, external, squamous cell "
                                        "carcinoma, Malignant Primary C44.329")
    unsited = index_matches("squamous cell carcinoma of the skin", table)
    assert [m.term.codes for m in unsited] == [("C44.92",)]


def test_a_site_just_before_a_cancer_word_is_the_cancers_own_site(table):
    # "metastatic prostate adenocarcinoma": a prostate cancer that has spread, the prostate's
    # Malignant Primary column; "metastatic" alone would read the secondary column
    question = "metastatic prostate adenocarcinoma"
    matches = index_matches(question, table)
    assert [m.term.codes for m in matches] == [("C79.82",)]
    read = primary_where_site_precedes_cancer(matches, question, table)
    assert [m.term.citation for m in read] == ["Neoplasm Table: prostate, Malignant Primary C61"]
    # "Metastasis, metastatic, cancer, from specified site - see Neoplasm, malignant, by site"
    question = "metastatic cancer from the prostate"
    read = primary_where_site_precedes_cancer(index_matches(question, table), question, table)
    assert [m.term.codes for m in read] == [("C61",)]
    # a site after the cancer word is where it spread to
    question = "metastatic carcinoma to the liver"
    matches = index_matches(question, table)
    assert primary_where_site_precedes_cancer(matches, question, table) == matches
