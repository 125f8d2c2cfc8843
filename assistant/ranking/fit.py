"""How well a code's title fits a question's words, by the code set's own conventions.

Pure functions over text: details a title states that the question contradicts (side,
encounter, with/without, family, a fracture's kind), details it adds that were not asked,
its words the question lacks, and inclusion terms "X NOS" that say where a bare X goes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

from assistant.index.glosses import IMPAIRED_WORDS, NEGATION_WORDS
from assistant.index.synonyms import is_acronym
from assistant.ranking.gestation import names_other_weeks, weeks_asked
from assistant.records import CodeRecord, Note, NoteKind
from assistant.text import (coverage_words, lookup_words, phrase_words, positions_named,
                            positions_opposed, prefix, prefixes, search_tokens, title_detail_words)

# Encounter (7th character) words. A later visit for the same injury is a subsequent
# encounter by the ICD-10-CM guidelines' definition of that character (I.C.19.a: care "during
# the healing or recovery phase", such as "x-ray to check healing status" and "follow up
# visits following treatment"): a follow-up (WordNet 3.0: "follow-up, reexamination: a
# subsequent examination of a patient"), a check done again ("recheck", as WordNet's
# "revisit: visit again"), a visit after the first ("second visit", "return visit"), and a
# course of healing the question reports ("it's healing fine"; not a wound "not healing").
# One word boundary before every choice, and the lookbehinds only at an "h": this pattern
# reads every candidate's title.
_LATER_VISIT = (r"\b(?:subsequent|follow-?up|re-?(?:check|exam(?:ination)?|visit)|"
                r"(?:second|third|2nd|3rd|return|repeat|another)\s+(?:visit|appointment)|"
                r"h(?<!nonh)(?<!non-h)(?<!not\sh)ealing)\b")
_EPISODES = {"initial": re.compile(r"\binitial\b", re.I),
             "subsequent": re.compile(_LATER_VISIT, re.I),
             "sequela": re.compile(r"\bsequela", re.I)}
_SIDES = {"left": re.compile(r"\bleft\b", re.I), "right": re.compile(r"\bright\b", re.I),
          "bilateral": re.compile(r"\bbilateral|both\b", re.I)}
_UNSPECIFIED_ASKED = re.compile(r"\b(not specified|unspecified|nos|not otherwise specified|"
                                r"unknown)\b", re.I)
_UNSPECIFIED_STATED = re.compile(r"\bunspecified\b|\bNOS\b")
# "History of X" means the patient's own history unless the question says whose.
_FAMILY = re.compile(r"\bfamily\b", re.I)
_WITHOUT = re.compile(r"\b(without|no|w/o|negative for)\b", re.I)
_WITH = re.compile(r"\bwith\b|\bw/(?!o\b)", re.I)
_WITHOUT_CLAUSE = re.compile(r"\bwithout\b[^,]*", re.I)
# A sibling's "..., not specified as recurrent" states no detail: it is the code for
# "recurrent" unsaid, beside which "..., recurrent" adds one.
_NOT_SPECIFIED_AS = re.compile(r"\b(?:not specified|unspecified) as\b([^,]*)", re.I)
# What a question says is absent, up to a "with" or the end ("no symptoms", "without
# perforation, abscess, or bleeding"), and what a title or an Index entry says is present, to
# its next comma ("with bleeding"; the entry "Hernia, inguinal, with, obstruction").
_ABSENT_CLAUSE = re.compile(r"\b(?:without|no|w/o|negative for)\b((?:(?!\bwith\b)[^.;])*)",
                            re.I)
# A detail the question says is not so ("not in remission", "not intractable"): the word
# after "not", with an "in" before it.
_DENIED = re.compile(r"\bnot\s+((?:in\s+)?[a-z][a-z-]*)", re.I)
# A verb the question says did not or does not happen ("it didn't blister", "I don't drink",
# "never passed out"), with at most one adverb between ("never actually"): what it names is
# not so. "can't", "unable to" say an ability is impaired, which is itself the condition
# ("can't hear" is hearing loss), and deny nothing here.
DENIED_VERB = re.compile(r"\b(?:(?:do|does|did)\s*n[o'’]?t|never|no\s+longer)\s+"
                         r"(?:(?:\w+ly|ever|even)\s+)?([a-z]+)", re.I)
# A habit the question says goes on ("I can't quit", "trying to stop", "hasn't quit"; WordNet
# 3.0: "quit, discontinue, stop, cease, give up: put an end to a state or an activity") is no
# dependence in remission: the Alphabetic Index codes the current one "(without remission)"
# ("Alcoholism (chronic) (without remission) F10.20") and a past one "in remission"
# ("History, personal, alcohol dependence F10.21").
_GOES_ON = re.compile(r"\b(?:can['’]?t|cannot|unable\s+to|not\s+able\s+to|trying\s+to|"
                      r"tried\s+to|wants?\s+to|won['’]?t|never|(?:has|have|did|does|do)\s*"
                      r"n[o'’]?t)\s+(?:\w+ly\s+)?(?:quit|stop|cease|discontinue|give\s+up)\b",
                      re.I)
_IN_REMISSION = re.compile(r"(?<!\bnot )\bin remission\b", re.I)
# A title that names a function lessened or lost ("Hearing loss", "Sleep disorder",
# "Difficulty in walking") is what "I don't hear well", "doesn't sleep", "doesn't walk yet"
# say, not its opposite.
_LESSENED = IMPAIRED_WORDS | NEGATION_WORDS | frozenset({
    "loss", "disorder", "disorders", "disturbance", "disturbances", "impaired", "impairment",
    "deficit", "dysfunction", "failure", "delayed", "decreased"})
# Verbs that name no part of a condition ("I don't know", "never had cancer").
_EMPTY_VERBS = frozenset({"have", "had", "has", "get", "got", "know", "think", "want", "need",
                          "feel", "remember", "see", "seem", "go", "went", "do", "did", "be",
                          "been", "use", "take", "took", "like", "mean", "say", "said"})
# Words before a title's detail that say it is not so ("not intractable", "without ...").
_DENYING = frozenset({"not", "without", "no"})
_WITH_CLAUSE = re.compile(r"(?:\bwith\b|\bw/(?!o\b))[\s,]*([^,]*)", re.I)
# The code sets' own word for whatever a "with" names: "Type 2 diabetes mellitus without
# complications" (E11.9) beside its "with ..." codes.
_ANY_WITH = frozenset(prefixes(["complication", "complications"]))
# ICD-10-CM Official Guidelines I.C.19.c.1: a fracture not said to be open or closed is coded
# as closed, and one not said to be displaced or not as displaced; the other choice is a
# detail the question did not give.
_FRACTURE_DETAIL = re.compile(r"\bnondisplaced\b|\bopen fracture\b", re.I)
_FRACTURE_DETAIL_ASKED = re.compile(r"\bnon-?displaced\b|\bopen\b", re.I)
# A fracture is traumatic (chapter 19) unless said to be pathological or a stress fracture
# (chapter 13): coding it there contradicts a question that does not say so.
_NOT_TRAUMATIC = re.compile(r"\b(pathological|stress) fracture\b", re.I)
_NOT_TRAUMATIC_ASKED = re.compile(r"\bpatholog|\bstress\b|\bfatigue\b|\bosteoporo", re.I)
# A 7th character's encounter other than the initial one, as the titles state it ("...,
# subsequent encounter for fracture with routine healing", "..., sequela"): with no encounter
# asked, the initial encounter is the one coded, and these add a detail not asked.
_LATER_ENCOUNTER = re.compile(r"\bsubsequent encounter\b|,\s*sequela\s*$", re.I)
# A fracture's course that only a subsequent encounter's 7th character states.
_LATER_COURSE = re.compile(r"\bhealing\b|\bnonunion\b|\bmalunion\b", re.I)
# ICD-10-CM Official Guidelines I.C.19.e.5.b: a poisoning whose intent is not stated is coded
# accidental; a title that states another intent adds a detail the question did not give.
_OTHER_INTENT = re.compile(r"\b(intentional self-harm|assault|undetermined)\b", re.I)
_INTENT_ASKED = re.compile(r"\b(intent\w*|self[- ]?harm\w*|suicid\w*|assault\w*|attacked|"
                           r"undetermined|deliberate\w*|homicid\w*|on purpose)\b", re.I)
# The 7th character's "with routine healing" is the uncomplicated course, like "without
# complications": no detail to ask for (delayed healing, nonunion and malunion are).
_ROUTINE = re.compile(r"\bwith routine healing\b", re.I)
# The intent coded when none is stated (see _OTHER_INTENT) is no detail to ask for either.
_DEFAULT_INTENT = re.compile(r"\baccidental(?: \(unintentional\))?", re.I)
# A count of a thing ("3 ribs", "Fracture of one rib"): a title that counts what the question
# counts, and another number of it, contradicts it ("one rib" for "3 ribs"). Titles spell a
# count out; their digits measure (a type, a stage, "30 minutes or less"), so only a question's
# digits count.
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten")
_NUMBER = "|".join(_NUMBER_WORDS[1:])
_COUNT_ASKED = re.compile(rf"\b(\d+|{_NUMBER})\s+([a-z]+)", re.I)
_COUNT_STATED = re.compile(rf"\b({_NUMBER})\s+([a-z]+)", re.I)
_NOS = re.compile(r"\bNOS\b")
# "not specified as recurrent" beside "recurrent": the code set's own words for the child
# that states nothing more.
_NOTHING_MORE = re.compile(r"\b(unspecified|not specified|uncomplicated|without complications?)\b",
                           re.I)
_NONESSENTIAL = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# Ranking reads the same titles and chunk texts question after question: what a text states
# is worked out once per text (the most recent TEXTS_KEPT texts are kept).
TEXTS_KEPT = 16384


def unasked_details(question: str, title: str) -> int:
    """Details a title adds that the question did not give: a "with ..." (see
    `adds_unasked_with`), a nondisplaced or an open fracture, a subsequent encounter or a
    sequela where no encounter is asked, an intent other than accidental where none is."""
    count = int(adds_unasked_with(question, title))
    count += bool(_FRACTURE_DETAIL.search(title)) and not _FRACTURE_DETAIL_ASKED.search(question)
    later, other_intent = _later_or_other_intent(title)
    encounter_asked, intent_asked = _encounter_or_intent_asked(question)
    count += later and not encounter_asked
    count += other_intent and not intent_asked
    return count


@functools.lru_cache(maxsize=TEXTS_KEPT)
def _later_or_other_intent(title: str) -> tuple[bool, bool]:
    """Whether a title states a later encounter, and an intent other than accidental."""
    return bool(_LATER_ENCOUNTER.search(title)), bool(_OTHER_INTENT.search(title))


@functools.lru_cache(maxsize=TEXTS_KEPT)
def _encounter_or_intent_asked(question: str) -> tuple[bool, bool]:
    """Whether a question names an encounter (or a healing course), and an intent."""
    encounter = bool(_stated(question).episodes) or bool(_LATER_COURSE.search(question))
    return encounter, bool(_INTENT_ASKED.search(question))


def adds_unasked_with(question: str, title: str) -> bool:
    """The title states a "with ..." and the question no "with". "with routine healing" is
    the uncomplicated course, no detail to ask for. The one rule for the rerank
    (`unasked_details`) and the heading default (`default_preference`)."""
    title = _ROUTINE.sub(" ", title)
    return bool(_WITH.search(title)) and not _WITH.search(question)


def says_nothing_more(title: str) -> bool:
    """The title names the condition with no further detail: "uncomplicated", "without
    complications", "unspecified", "not specified as ..." ("Alcohol abuse, uncomplicated"
    under "Alcohol abuse")."""
    return bool(_NOTHING_MORE.search(title))


def adds_unasked_qualifier(asked: AskedWords, title: str, siblings: list[str]) -> bool:
    """A sibling leaves one more detail unstated (`says_nothing_more`) where this title
    states words the question does not ("Other right bundle-branch block" beside
    "Unspecified right bundle-branch block", "..., early dry stage" beside "..., stage
    unspecified"), and holds no question word the sibling lacks: the detail that picks this
    code was not asked, so the sibling that says nothing more is the one coded."""
    said = nothing_more_count(title)
    saying_less = [sibling for sibling in siblings if nothing_more_count(sibling) > said]
    if not saying_less:
        return False
    own, covered = set(_detail_prefixes(title)), asked.coverage(title)
    return any(asked.coverage(sibling) >= covered
               and asked.lacks_any(own - set(_detail_prefixes(
                   _NOT_SPECIFIED_AS.sub(" ", sibling))))
               for sibling in saying_less)


def leaves_stated_detail_open(asked: AskedWords, title: str, siblings: list[str],
                              kept: Callable[[str], bool] = lambda sibling: True) -> bool:
    """The title leaves unspecified a detail the question states, where a sibling `kept`
    is the same title with that detail: "Major depressive disorder, single episode,
    unspecified" beside "..., moderate" for a question that says "moderate". `kept` is asked
    last, of the few siblings that state such a detail (it may cost more). What a title is
    "unspecified as to" is the detail it leaves open, none it states: "..., unspecified as to
    length of time between rupture and onset of labor" beside "..., onset of labor within 24
    hours of rupture" for a question that says "within 24 hours"."""
    said = nothing_more_count(title)
    if not said:
        return False
    own = set(_detail_prefixes(_NOT_SPECIFIED_AS.sub(" ", title)))
    for sibling in siblings:
        if nothing_more_count(sibling) >= said:
            continue
        theirs = set(_detail_prefixes(sibling))
        if own <= theirs and theirs - own and not asked.lacks_any(theirs - own) \
                and kept(sibling):
            return True
    return False


@functools.lru_cache(maxsize=TEXTS_KEPT)
def nothing_more_count(title: str) -> int:
    """How many details a title leaves unstated: "..., unspecified eye, stage unspecified"
    two, beside "..., unspecified eye, with active choroidal neovascularization" one."""
    return len(_NOTHING_MORE.findall(title))


def encounter_read(question: str, title: str) -> tuple[str, str] | None:
    """(the question's word, the title's encounter) where the title states an encounter the
    question names in other words ("follow-up" for "subsequent encounter"); None otherwise."""
    for name, pattern in _EPISODES.items():
        own = re.compile(rf"\b{name}\b", re.I)
        said = pattern.search(question)
        if said and own.search(title) and not own.search(question):
            return said.group(0), f"{name} encounter"
    return None


def _unasked_encounter(question: str, title: str) -> int:
    """With no encounter asked, the tabular's first is the default: 0 for none stated or
    initial, 1 for subsequent, 2 for sequela."""
    if any(pattern.search(question) for pattern in _EPISODES.values()):
        return 0
    for rank, name in enumerate(("initial", "subsequent", "sequela")):
        if _EPISODES[name].search(title):
            return rank
    return 0


def nos_term(question: str, record: CodeRecord, heading: CodeRecord | None) -> str | None:
    """The inclusion term "X NOS" the code (or a heading it was chosen under) states where
    the question is X, plus at most details the code's own title states (side, encounter);
    None when there is none. A question that gives X "with" something the term does not
    name asks for more than X NOS ("concussion with loss of consciousness" is not
    "Concussion NOS").

    Nonessential words in parentheses or brackets are left out of X, as the tabular means.
    """
    asked = _content_prefixes(question)
    stated = _content_prefixes(record.title)
    records = [record] + ([heading] if heading else [])
    for stating in records:
        for note, condition in _nos_terms(stating):
            term = _content_prefixes(condition)
            if _WITH.search(question) and not _WITH.search(condition):
                continue
            if term and term <= asked and asked - term <= stated:
                return note.text
    return None


def _nos_terms(record: CodeRecord) -> Iterator[tuple[Note, str]]:
    """A record's inclusion terms "X NOS", each with its X (nonessential words left out, as
    the tabular means)."""
    for note in record.notes:
        if note.kind == NoteKind.INCLUSION_TERM and _NOS.search(note.text):
            yield note, _NOS.sub(" ", _NONESSENTIAL.sub(" ", note.text))


@functools.lru_cache(maxsize=TEXTS_KEPT)
def _content_prefixes(text: str) -> frozenset[str]:
    return frozenset(prefixes(w for w in title_detail_words(text) if not w.isdigit()))


def tabular_default_term(record: CodeRecord) -> str | None:
    """The inclusion term "X NOS" that makes a code the tabular's own default for X, where X
    is the code's title less a detail: T51.0X1 "Toxic effect of ethanol, accidental
    (unintentional)" lists "Toxic effect of ethanol NOS". Only a term stated at the code
    itself counts, or at its 6-character parent for a 7th-character code (the encounter adds
    nothing to the choice); None when there is none."""
    stating = {record.code}
    if record.parent and len(record.code.replace(".", "")) == 7:
        stating.add(record.parent)
    # whole words: "Lymphadenopathy NOS" is no "Generalized enlarged lymph nodes" less a detail
    title = set(title_detail_words(record.title))
    for note, condition in _nos_terms(record):
        term = set(title_detail_words(condition))
        if note.stated_at in stating and term and term <= title:
            return note.text
    return None


def default_preference(asked: AskedWords, title: str, titles_below: list[str],
                       tabular_default: bool = False, unasked_qualifier: bool = False
                       ) -> tuple[bool, float, bool, bool, bool, int, int, int]:
    """How well a child fits when the question matched only its heading, best highest: no
    unasked "with ..."; the most question words held by it or a code below it ("sacrum" is
    under "back"); the one the tabular itself names the default (`tabular_default_term`);
    no qualifier beside a sibling that says nothing more (`adds_unasked_qualifier`); one
    that says nothing more; the most "unspecified"; no unasked encounter but the first; the
    fewest words the question lacks."""
    question = asked.text
    coverage = max(asked.coverage(t) for t in [title, *titles_below])
    return (not adds_unasked_with(question, title), coverage, tabular_default,
            not unasked_qualifier, says_nothing_more(title),
            title.lower().count("unspecified"), -_unasked_encounter(question, title),
            -asked.extra_words(title))


@functools.lru_cache(maxsize=TEXTS_KEPT)
def _detail_prefixes(title: str) -> tuple[str, ...]:
    """The prefixes of a title's detail words, less a "without ..." clause, routine healing
    and the accidental intent."""
    title = _WITHOUT_CLAUSE.sub(" ", _DEFAULT_INTENT.sub(" ", _ROUTINE.sub(" ", title)))
    return tuple(prefix(w) for w in title_detail_words(title))


@dataclass(frozen=True)
class _Stated:
    """The details a text states, as `contradictions` compares them."""

    episodes: frozenset[str]
    sides: frozenset[str]
    positions: frozenset[str]  # where on a part (`text.positions_named`)
    family: bool
    not_traumatic: bool        # a title's pathological or stress fracture
    not_traumatic_asked: bool  # a question's word for one
    with_: bool
    without: bool
    counts: frozenset[tuple[int, str]]  # (how many, the thing counted as a lookup word)
    title_counts: frozenset[tuple[int, str]]  # the counts a title states (spelled out)


@functools.lru_cache(maxsize=TEXTS_KEPT)
def _stated(text: str) -> _Stated:
    return _Stated(
        episodes=frozenset(name for name, pattern in _EPISODES.items() if pattern.search(text)),
        sides=frozenset(name for name, pattern in _SIDES.items() if pattern.search(text)),
        positions=positions_named(text),
        family=bool(_FAMILY.search(text)),
        not_traumatic=bool(_NOT_TRAUMATIC.search(text)),
        not_traumatic_asked=bool(_NOT_TRAUMATIC_ASKED.search(text)),
        with_=bool(_WITH.search(text)),
        without=bool(_WITHOUT.search(text)),
        counts=_counts(text, _COUNT_ASKED),
        title_counts=_counts(text, _COUNT_STATED))


def _counts(text: str, pattern: re.Pattern[str]) -> frozenset[tuple[int, str]]:
    """The things a text counts, each with its number ("3 ribs": (3, "rib"))."""
    found = set()
    for number, thing in pattern.findall(text):
        how_many = int(number) if number.isdigit() else _NUMBER_WORDS.index(number.lower())
        found |= {(how_many, word) for word in lookup_words(thing)}
    return frozenset(found)


def contradictions(question: str, title: str) -> int:
    """Details the title states that the question states otherwise (a side, an encounter,
    where on a part, whose history, a fracture's cause, with or without, how many of a
    thing, the weeks of gestation)."""
    asked, stated = _stated(question), _stated(title)
    count = 0
    for asked_options, stated_options in ((asked.episodes, stated.episodes),
                                          (asked.sides, stated.sides)):
        count += bool(asked_options and stated_options and not asked_options & stated_options)
    count += positions_opposed(asked.positions, stated.positions)
    count += any(thing == other and number != asked_number
                 for number, thing in stated.title_counts
                 for asked_number, other in asked.counts)
    count += stated.family and not asked.family
    count += stated.not_traumatic and not asked.not_traumatic_asked
    title_with = stated.with_ and not stated.without
    title_without = stated.without and not stated.with_
    count += asked.without and title_with and _absent_stated(question, title)
    count += asked.with_ and not asked.without and title_without
    count += _leaves_open_what_is_asked(question, title)
    count += _states_what_is_denied(question, title)
    weeks = weeks_asked(question)
    count += weeks is not None and names_other_weeks(title, weeks)
    return count


def _states_what_is_denied(question: str, title: str) -> bool:
    """The title states as so what the question says is not ("Multiple myeloma in
    remission" for "multiple myeloma, not in remission"); a title that says it is not
    ("... not having achieved remission", "..., not intractable") does not."""
    for denied in _DENIED.finditer(question):
        detail = re.compile(rf"\b{re.escape(denied.group(1))}\b", re.I)
        for stated in detail.finditer(title):
            before = title[:stated.start()].lower().split()
            if not before or before[-1] not in _DENYING:
                return True
    if _goes_on(question) and _IN_REMISSION.search(title):
        return True
    verbs = denied_verbs(question)
    return bool(verbs) and states_as_so(title, verbs)


@functools.lru_cache(maxsize=TEXTS_KEPT)
def _goes_on(question: str) -> bool:
    return bool(_GOES_ON.search(question))


@functools.lru_cache(maxsize=TEXTS_KEPT)
def denied_verbs(question: str) -> frozenset[str]:
    """The lookup words of the verbs the question says did not or do not happen
    (`DENIED_VERB`): "didn't blister" -> "blister"."""
    return frozenset(word for match in DENIED_VERB.finditer(question)
                     if match.group(1).lower() not in _EMPTY_VERBS
                     for word in lookup_words(match.group(1)))


def states_as_so(title: str, denied: AbstractSet[str]) -> bool:
    """Whether a title word begins with one of the denied lookup words, with no denying word
    before it ("Blister (nonthermal) of left thigh" for "blister"; not "without ..."). A title
    that names the act lessened or lost (`_LESSENED`) says it does not happen too."""
    said = phrase_words(title)
    if not _LESSENED.isdisjoint(said):
        return False
    before = ""
    for word in said:
        if before not in _DENYING and any(word.startswith(d) for d in denied):
            return True
        before = word
    return False


def _leaves_open_what_is_asked(question: str, title: str) -> bool:
    """The title is "not specified as" a detail the question states ("recurrent"), or
    "unspecified as" one of the details it names ("acute or chronic" for "chronic")."""
    held = held_prefixes(question)
    for match in _NOT_SPECIFIED_AS.finditer(title):
        details = [search_tokens(part) for part in re.split(r"\bor\b", match.group(1))]
        if any(detail and all(prefix(w) in held for w in detail) for detail in details):
            return True
    return False


def _absent_stated(question: str, title: str) -> bool:
    """Whether the title's "with" states what the question says is absent: "no bleeding"
    and "with bleeding", or "without complications" and any "with". "no symptoms" says
    nothing against "Infections with a predominantly sexual mode of transmission". An
    abbreviation absent ("without LOC") may stand for the title's words: it is taken to."""
    clauses = [m.group(1) for m in _ABSENT_CLAUSE.finditer(question)]
    absent = {p for clause in clauses for p in prefixes(search_tokens(clause))}
    if not absent or absent & _ANY_WITH or \
            any(is_acronym(w) for clause in clauses for w in clause.split()):
        return True
    stated = {p for m in _WITH_CLAUSE.finditer(title) for p in prefixes(search_tokens(m.group(1)))}
    return bool(absent & stated)


def names_side(text: str) -> bool:
    """The text names a side: left, right or both."""
    return any(pattern.search(text) for pattern in _SIDES.values())


def names_any(text: str, phrases: set[str]) -> bool:
    held = held_prefixes(text)
    return any(all(prefix(w) in held for w in search_tokens(p)) for p in phrases)


@functools.lru_cache(maxsize=TEXTS_KEPT)
def held_prefixes(text: str) -> frozenset[str]:
    """The prefixes of a text's search tokens: what a question's word is matched against."""
    return frozenset(prefixes(search_tokens(text)))


def unspecified_asked_and_stated(question: str, text: str) -> bool:
    """The question asks for the unspecified code and the text states it."""
    return bool(_UNSPECIFIED_ASKED.search(question)) and bool(_UNSPECIFIED_STATED.search(text))



@dataclass(frozen=True)
class WordMatch:
    """The question's content words, and those of them a code's text holds (by prefix, or
    by a kin word: "nose" in "nasal bones", see SynonymTable.kin)."""

    asked: tuple[str, ...]
    found: tuple[str, ...]

    @property
    def coverage(self) -> float:
        return len(self.found) / len(self.asked) if self.asked else 0.0


def word_match(query: str, text: str, kin: dict[str, list[str]] | None = None) -> WordMatch:
    asked = _coverage_words(query)
    held = held_prefixes(text)
    kin = kin or {}
    found = [w for w in asked
             if prefix(w) in held or any(prefix(k) in held for k in _kin_of(w, kin))]
    return WordMatch(asked, tuple(found))


# The code set's word for a side the question names otherwise: "both ears" are "bilateral".
_SIDE_WORDS = {"both": ("bilateral",)}


def _kin_of(word: str, kin: dict[str, list[str]]) -> tuple[str, ...]:
    return (*kin.get(word, ()), *_SIDE_WORDS.get(word, ()))


@dataclass(frozen=True)
class AskedWords:
    """A question's words as word coverage (`word_match`) and the extra-words count compare
    them with a title,
    read once for the many titles of a heading's children and the codes below them."""

    text: str
    options: tuple[frozenset[str], ...]  # per content word: its prefix and its kin words'
    prefixes: frozenset[str]             # every search token's prefix, and its kin words'

    @classmethod
    def of(cls, question: str, kin: dict[str, list[str]] | None = None) -> AskedWords:
        kin = kin or {}
        tokens = search_tokens(question)
        options = tuple(frozenset([prefix(w), *(prefix(k) for k in _kin_of(w, kin))])
                        for w in _coverage_words(question))
        held = prefixes(tokens) | prefixes(k for w in tokens for k in _kin_of(w, kin))
        return cls(question, options, frozenset(held))

    def coverage(self, title: str) -> float:
        """The same share as `word_match(self.text, title, kin).coverage`."""
        if not self.options:
            return 0.0
        held = held_prefixes(title)
        return sum(1 for forms in self.options if not forms.isdisjoint(held)) / len(self.options)

    def lacks_any(self, prefixes: set[str]) -> bool:
        """Whether any of these word prefixes is neither the question's nor a kin word's."""
        return not prefixes <= self.prefixes

    def less_held_by(self, texts: list[str]) -> AskedWords:
        """The question with the content words these texts hold left out of its coverage:
        a heading's words, and its inclusion terms' ("Dry age-related macular degeneration"),
        do not pick one of its children."""
        held = frozenset().union(*(held_prefixes(text) for text in texts))
        return replace(self, options=tuple(o for o in self.options if o.isdisjoint(held)))

    def extra_words(self, title: str) -> int:
        """Title words the question lacks; a "without ..." clause adds no detail to ask for."""
        return sum(1 for p in _detail_prefixes(title) if p not in self.prefixes)


@functools.lru_cache(maxsize=TEXTS_KEPT)
def _coverage_words(query: str) -> tuple[str, ...]:
    return tuple(coverage_words(query))
