"""The one text module: each stage's way of reading words, pinned."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from assistant.text import (PREFIX_LENGTH, STOPWORDS, coverage_words, endings_differ,
                            initial_words, phrase_key, phrase_words, prefix, prefixes,
                            search_tokens, title_detail_words, without_framing, word_spans, words)

# The lexical index of every built index was tokenized this way; `search_tokens` must never
# differ from it, or queries would silently stop matching the stored BM25 vocabulary.
_BUILT_WITH = re.compile(r"[a-z0-9]+")
_BUILT_STOPWORDS = {
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of",
    "on", "or", "the", "to", "with", "what", "which", "code", "codes", "whats",
}


def _as_built(text: str) -> list[str]:
    return [t for t in _BUILT_WITH.findall(text.lower()) if t not in _BUILT_STOPWORDS]


def test_search_tokens_are_the_built_indexes_tokens():
    assert STOPWORDS == _BUILT_STOPWORDS
    text = "E11.65 Type 2 diabetes mellitus with hyperglycemia; what's the CODE? Ménière's"
    assert search_tokens(text) == _as_built(text) == [
        "e11", "65", "type", "2", "diabetes", "mellitus", "hyperglycemia", "s", "m", "ni",
        "re", "s"]


@given(st.text())
def test_search_tokens_match_the_built_indexes_for_any_text(text):
    assert search_tokens(text) == _as_built(text)


def test_words_keep_stopwords_and_digits():
    assert words("What is the CODE for 77418?") == ["what", "is", "the", "code", "for", "77418"]


def test_prefix_has_a_named_length():
    assert PREFIX_LENGTH == 5
    assert prefix("fractures") == prefix("fracture") == "fract"
    assert prefixes(["diabetic", "diabetes", "of"]) == {"diabe", "of"}


def test_words_that_end_differently_name_different_things():
    # an operation, a dilation, an enlargement and the organ's adjective
    assert endings_differ("splenectomy", "splenectasis")
    assert endings_differ("splenomegaly", "splenic")
    assert endings_differ("gastritis", "gastric")
    assert endings_differ("cholecystectomy", "cholecystitis")
    assert not endings_differ("gastritis", "colitis")
    assert not endings_differ("thrombotic", "thrombosis")   # an adjective ends as its noun
    assert not endings_differ("fractures", "fracture")


def test_coverage_words_leave_out_short_words_and_bare_numbers():
    assert coverage_words("pain in the 2nd toe, 3 days, ii") == ["pain", "2nd", "toe", "days"]


def test_title_detail_words_leave_out_the_titles_generic_words():
    assert title_detail_words("Zoster without complications, unspecified, due to NOS") == [
        "zoster", "complications"]


def test_phrase_words_drop_apostrophes_and_plain_plurals():
    assert phrase_words("Athlete's feet") == ["athlete", "feet"]
    assert phrase_words("kidney stones, gas, abscess, virus, pubis") == [
        "kidney", "stone", "gas", "abscess", "virus", "pubis"]
    assert phrase_key("Pink  Eyes") == "pink eye"


def test_word_spans_keep_case_and_offsets():
    text = "CKD in athlete's foot"
    spans = word_spans(text)
    assert [s.group(0) for s in spans] == ["CKD", "in", "athlete's", "foot"]
    assert [text[s.start():s.end()] for s in spans][2] == "athlete's"


def test_initial_words_split_hyphens():
    assert initial_words("Post-traumatic stress disorder") == ["Post", "traumatic", "stress",
                                                               "disorder"]


def test_without_framing_removes_the_words_that_frame_a_question():
    assert without_framing("What's the ICD-10-CM code for acidosis, DOS").split() == [
        "acidosis,"]
    assert without_framing("Which CPT code: IMRT delivery").split() == [":", "IMRT", "delivery"]
