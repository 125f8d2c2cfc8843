"""Look a question up in the Alphabetic Index, as a coder would: the entry that names it.

An entry matches when the question names every level of it (main term, subterms) and the
entry names every word of the question's condition; the words a code's characters decide
(side, encounter) are left to the heading the code is chosen under. Of the matching
entries, the most specific (the most words named) are kept.

Where no entry names the whole condition, an entry may name most of it and leave the rest
to the code's own text ("cold sore on the lip": "Coldsore" B00.1, whose tabular text says
"lip"); the caller says whether a code's text holds the words left (`holds`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from assistant.corpus.alphabetic_index import is_table_row
from assistant.index.index_terms import IndexTerm, IndexTermTable, entry_words
from assistant.text import (LOOKUP_PREFIX_LENGTH, MIN_CONTENT_LENGTH, endings_differ,
                            lookup_words, phrase_words, regular_bases, two_parts,
                            word_spans)

# The subterm of what a foreign body entered through ("Swallowed, swallowing, foreign body").
FOREIGN_BODY_WORDS = tuple(lookup_words("foreign body"))
# Entries a question leads to, at most (several equally specific entries can match).
MAX_MATCHES = 3
# Words a code's characters or a heading's children decide, never an index entry.
_DETAIL_WORDS = frozenset(w for phrase in (
    "left", "right", "bilateral", "both", "side", "sided", "initial", "subsequent", "sequela",
    "encounter", "visit", "follow", "followup", "routine", "healing", "unspecified",
) for w in lookup_words(phrase))
# "24 weeks along", "32 wks", "30 weeks gestation": the weeks of gestation, coded apart (Z3A)
# and in the trimester a pregnancy code's last character names (`assistant.ranking.gestation`),
# never an entry. "2-week-old" is an age.
GESTATION_WEEKS = re.compile(r"\b(\d{1,2})\s*-?\s*(?:weeks?|wks?)\b(?!\s*-?\s*old\b)"
                             r"(?:\s+(?:along|(?:of\s+)?gestation))?\b", re.I)
# "STDs, no symptoms", "stroke, no residual deficits": a finding the question adds as absent
# is not the condition looked up, though an entry may name it ("stroke without residual
# deficits"). Only after a comma: "no periods", "born with no kidney" name the condition.
_ABSENT = re.compile(r",\s*no\s+([^,;.]+)|\bwithout\s+([^,;.]+)", re.I)
# "without" itself, before what is absent
_WITHOUT = lookup_words("without")
# "my 15-month-old", "a 6 year old": an age ("2-week-old" too, apart from the weeks above)
_AGE = re.compile(r"\b\d{1,3}\s*-?\s*(?:years?|yrs?|months?|mos?|weeks?|wks?|days?)"
                  r"\s*-?\s*old\b", re.I)
# "still" as an adverb, not the eponym "Still's"
_STILL_ADVERB = re.compile(r"\bstill\b(?!'s)", re.I)
_STILL_WORDS = frozenset(lookup_words("still"))
# "broken arm, follow-up visit, healing well": a later clause that says how the injury heals
# tells the 7th character (routine or delayed healing), never an entry; the words it adds
# ("well", "fine") are the course's, not the condition's.
_CLAUSE = re.compile(r"[,;]\s*([^,;.]+)")
_HEALING = frozenset(lookup_words("healing"))
_CLAUSE_BREAK = re.compile(r"[,;]")
_LIST_END = re.compile(r"\b(?:and|or)\b", re.I)
# A course of healing is said in a few words ("healing well", "not healing well"); a longer
# clause ("non-healing surgical wound of the leg") names a condition of its own.
MAX_COURSE_WORDS = 3

# Words that tell how a condition is reported or how it goes, never what it is: a verb of
# telling or noticing ("pt reports", "she says", "complains of"), of seeming ("feels"), of
# having, being, keeping on or becoming ("keeps flushing", "has been so irritable", "is getting
# senile", "got stung by a wasp"), and an adverb of when, how often or how much ("lately",
# "always", "completely").
_TELLING_WORDS = frozenset(lookup_words(
    "reports reported says said complains complaining complained noticed notices feels felt "
    "seems seemed has have had having been was were keeps keep kept keeping get gets got "
    "getting gotten becoming lately recently "
    "always constantly usually completely totally really very"))

# Pronouns say whose condition or place it is ("his lips", "at her home"), never what it is.
_POSSESSIVE_WORDS = ("my", "his", "her", "their", "our", "your")
_POSSESSIVES = frozenset(lookup_words(" ".join(_POSSESSIVE_WORDS)))
_PERSON_WORDS = _POSSESSIVES | frozenset(lookup_words("he him she hers they them"))
# Where on the patient's body: "on her back", "of his arm", up to a comma or the end.
_ON_BODY = re.compile(rf"\b(?:on|of)\s+(?:{'|'.join(_POSSESSIVE_WORDS)})\s+[^,;.?!]+", re.I)

# The shortest clipped word read as the Index word it begins ("trach": tracheostomy).
MIN_CLIPPED_WORD = 4

# Where it happened: the words after "in" or "at", up to a comma or the end ("near drowning
# in a pool", "fell at home, initial encounter").
_PLACE = re.compile(r"\b(?:in|at)\s+(?P<place>[^,;.?!]+?)\s*(?=[,;.?!]|$)", re.I)
# How it happened: the words after one that says when, from or with what ("while cooking",
# "after falling on ice", "from a bike crash", "with a knife"), or from a verb's -ing form
# ("falling off a ladder"), up to a comma or the end.
_CAUSE = re.compile(r"\b(?:(?:while|after|from|during|when|with)\s+|(?=\w+ing\b))"
                    r"(?P<cause>[^,;.?!]+?)\s*(?=[,;.?!]|$)", re.I)
# When it happens, as a clause of the asker's own doing: "every time I brush", "whenever
# she eats", up to a comma or the end.
_OCCASION = re.compile(r"\b(?:(?:every|each)\s+time|whenever|when)\s+"
                       r"(?:i|he|she|they|we|you)\s+[^,;.?!]+", re.I)
# A place of occurrence's title: its name, then " as the place of occurrence of the external
# cause"; the name's own place ends where what it is part of begins ("Kitchen of ...").
_PLACE_TITLE_END = re.compile(r"\s+as the place of occurrence", re.I)
_PLACE_NAME_END = re.compile(r"\s+(?:of|in|on|at)\s+|,", re.I)
_NONESSENTIAL = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class IndexMatch:
    term: IndexTerm
    named: tuple[str, ...]      # the question's word prefixes the entry names
    unnamed: tuple[str, ...] = ()  # those it leaves to its code's text (see `holds`)
    place: str = ""             # "in a pool": left to a place of occurrence (`named_place`)
    cause: str = ""             # "while cooking": left to an external cause (`named_cause`)
    site: str = ""              # "on the neck": a site no code of the entry's category names
    # "tetanus" of "encounter for a tetanus vaccine": the kind a procedure code says (Z23)
    to_procedure: tuple[str, ...] = ()
    # the entry whose "see" reference led here: "Prenatal, care, normal pregnancy -> see
    # Pregnancy, normal"
    seen_from: str = ""


# holds(term, words): the text of a code the entry gives holds these word prefixes.
Holds = Callable[[IndexTerm, frozenset[str]], bool]
# unsited(term, words): the words name body parts, and no code of the categories the entry
# leads to names a body part the entry does not.
Unsited = Callable[[IndexTerm, frozenset[str]], bool]

# Where on the body: "on" and the words up to a comma or the end ("skin tag on the neck").
_ON_SITE = re.compile(r"\bon\s+(?P<site>[^,;.?!]+?)\s*(?=[,;.?!]|$)", re.I)


def index_matches(text: str, table: IndexTermTable, holds: Holds | None = None,
                  follow: bool = True, unsited: Unsited | None = None,
                  through_groups: bool = False, main: str = "",
                  types_left: Holds | None = None) -> list[IndexMatch]:
    """The entries that name the question's condition; where none does and `holds` is
    given, those that name more of it than they leave to their code's text, or (`unsited`)
    than they leave to a site "on" the body that no code of theirs tells apart ("skin tag
    on the neck": "Tag, skin" L91.8). An entry that names part of it and says "see" another
    (`follow`) leads to that one's subterms that name the rest (`_seen`). With
    `through_groups`, an entry may also leave unnamed one subterm between its main term and
    its last that gives no code of its own (`index_terms.grouping_places`). With
    `types_left`, also those that leave no more than they name to a procedure code, which
    says the kind of what they name ("tetanus" of a vaccine: Z23)."""
    text = _as_verbs(text, table)
    words = entry_words(text)
    compounds = _compounds(text, table)
    asked = set(words) | _joined(words) | {p for parts in compounds.values() for p in parts}
    condition = _condition(text, words)
    if not condition:
        return []
    # `main`: only the entries of that main term (a "see" reference's, `_seen`)
    starts = set(entry_words(main)) if main else asked
    on_site = _ON_SITE.search(text)
    site = on_site.group(0) if on_site else ""
    said = _compared(text)
    groups = table.grouping(sorted({p for w in starts for p in table.by_main.get(w, ())})) \
        if through_groups else {}
    matches, in_part = [], []
    for term in _entries_named(table, starts, asked, groups):
        if _named_otherwise(term, said):
            continue
        named = (term.required | term.optional) & asked
        left = _unnamed(term, words, condition, compounds)
        if not left:
            further = _seen(term, _beyond_target(term, words, condition), table, asked) \
                if follow else []
            matches += further or [IndexMatch(term, tuple(sorted(named)))]
            continue
        seen = _seen_with_own(term, words, left, condition, table, asked) if follow else []
        if seen:
            matches += seen
        elif holds is not None and 2 * len(left) < len(condition) and holds(term, frozenset(left)):
            in_part.append(IndexMatch(term, tuple(sorted(named)), tuple(sorted(left))))
        elif types_left is not None and 2 * len(left) <= len(condition) \
                and types_left(term, frozenset(left)):
            in_part.append(IndexMatch(term, tuple(sorted(named)), to_procedure=tuple(sorted(left))))
        elif site and unsited is not None and 2 * len(left) < len(condition) \
                and left <= set(entry_words(site)) and unsited(term, frozenset(left)):
            in_part.append(IndexMatch(term, tuple(sorted(named)), site=site))
    matches = matches or in_part
    if not matches:
        return []
    matches = [m for m in matches if not _sees_further(m.term, asked)] or matches
    most = max(_specificity(m) for m in matches)
    matches = [m for m in matches if _specificity(m) == most]
    # Word prefixes may be shared ("pneumococcal", "pneumonia", "Pneumocephalus"): of the
    # entries that name as much, those that write more of the question's own words.
    written = set(phrase_words(text))
    closest = max(_words_written(m, written) for m in matches)
    return [m for m in matches if _words_written(m, written) == closest][:MAX_MATCHES]


def entries_named(words: set[str], table: IndexTermTable,
                  starts: Iterable[str] | None = None) -> Iterator[IndexTerm]:
    """The entries every level of which the words (as lookups compare them) name, in the
    Index's order, of the main terms `starts` begin (else any of the words); under a level
    not named none is read (`_entries_named`)."""
    return _entries_named(table, set(words if starts is None else starts), words, {})


def takes_in(word: str, table: IndexTermTable) -> bool:
    """Whether a word (as lookups compare it) begins a main term the Index gives a foreign
    body under ("Swallowed, swallowing, foreign body", "Ingestion, foreign body"): a word of
    taking something in."""
    return table.per_main_word(_takes_in, word)


def _takes_in(table: IndexTermTable, word: str) -> bool:
    return any(word in term.level_forms[0][0] and len(term.levels) == 2
               for term in entries_named({word, *FOREIGN_BODY_WORDS}, table, (word,)))


def condition_words(text: str) -> frozenset[str]:
    """The words of the text that name its condition, as lookups compare them: less the
    words a code's characters decide (side, encounter), whose it is, how it is told, what is
    absent, its weeks of gestation and its course of healing."""
    return frozenset(_condition(text, entry_words(text)))


def stated_numbers(text: str) -> frozenset[str]:
    """The numbers the text states that are not an age or weeks of gestation ("CKD 3"): a
    number names no entry of itself, but a subterm may ("stage 3")."""
    return frozenset(w for w in entry_words(text) if w.isdigit()) - _age(text) \
        - _gestation_weeks(text)


def _condition(text: str, words: list[str]) -> set[str]:
    condition = {w for w in words if len(w) >= MIN_CONTENT_LENGTH and not w.isdigit()}
    return condition - (_DETAIL_WORDS | _PERSON_WORDS | _TELLING_WORDS | _absent(text) |
                        _gestation_weeks(text) | _healing_course(text) | _age(text) |
                        _still(text))


def _as_verbs(text: str, table: IndexTermTable) -> str:
    """The text with each regular past participle that begins no main term written as the
    verb that begins one: "burned out" is looked up as "burn out" ("Burn-out"), as a coder
    reads a participle under its verb's entry. A participle the Index writes as it is
    ("Pulled muscle") stays."""
    read = text
    for span in reversed(word_spans(text)):
        word = span.group(0).lower()
        bases = regular_bases(word)
        if not bases or _begins_main(word, table):
            continue
        base = next((b for b in reversed(bases) if _begins_main(b, table)), None)
        if base is not None:
            read = read[:span.start()] + base + read[span.end():]
    return read


def _begins_main(word: str, table: IndexTermTable) -> bool:
    looked_up = lookup_words(word)
    return bool(looked_up) and looked_up[0] in table.by_main


def _entries_named(table: IndexTermTable, starts: set[str], asked: set[str],
                   groups: Mapping[int, tuple[int, ...]]) -> Iterator[IndexTerm]:
    """The entries of the main terms `starts` begin whose levels the question names
    (`_level_unnamed`), in the Index's order. Only those that may be named are read: an
    entry whose first subterm the question names, one with none, and one whose first
    subterm only groups others (`groups`); a main term has tens to thousands of entries,
    and questions name few (`_first_subterms`)."""
    maybe: set[int] = set()
    for word in starts:
        if word not in table.by_main:
            continue
        first = table.per_main_word(_first_subterms, word)
        maybe.update(first.always)
        for named in asked & first.by_word.keys():
            maybe.update(first.by_word[named])
        if groups:
            maybe.update(p for p in table.by_main[word] if 1 in groups.get(p, ()))
    for position in sorted(maybe):
        term = table.terms[position]
        if _level_unnamed(term, asked, groups.get(position, ())) is None:
            yield term


@dataclass(frozen=True)
class _FirstSubterms:
    """The entries a main word begins, by the words of their first subterm: an entry is
    named only where every word of a form of that subterm is asked."""

    always: tuple[int, ...]                 # no subterm, or one that needs no word
    by_word: Mapping[str, tuple[int, ...]]  # a word of a form of the first subterm -> entries


def _first_subterms(table: IndexTermTable, word: str) -> _FirstSubterms:
    always: list[int] = []
    by_word: dict[str, list[int]] = {}
    for position in table.by_main[word]:
        levels = table.terms[position].level_forms
        if len(levels) < 2 or any(not form for form in levels[1]):
            always.append(position)
            continue
        for form_word in {w for form in levels[1] for w in form}:
            by_word.setdefault(form_word, []).append(position)
    return _FirstSubterms(tuple(always), {w: tuple(ps) for w, ps in by_word.items()})


def _level_unnamed(term: IndexTerm, asked: set[str], groups: tuple[int, ...]) -> int | None:
    """None where the question names every level of the entry, or every one but a single
    grouping level (at one of the places `groups`: `grouping_places`); else the place of the
    level it leaves unnamed, which no entry under those levels can be named past either."""
    unnamed: int | None = None
    for place, level in enumerate(term.level_forms):
        for form in level:
            if form <= asked:
                break
        else:
            if unnamed is not None or place not in groups:
                return place  # most entries stop here, at their first level not named
            unnamed = place
    return None


def _seen(term: IndexTerm, left: list[str], table: IndexTermTable,
          asked: set[str]) -> list[IndexMatch]:
    """A coder follows an entry's "see" reference and reads on under the entry it names:
    "Prenatal, care, normal pregnancy -> see Pregnancy, normal" and "first" lead to
    "Pregnancy, normal, first". The entries under the one referred to that name the words
    the first entry left (`left`, as the question orders them), with nothing else."""
    target = _see_target(term.via)
    if not target or not left:
        return []
    prefix = target + ", "
    # only the question's words count as named: a reference's own words ("Pneumohydro-
    # pericardium -> see Pericarditis", reached by "pneumococcal") are not the asker's
    said = set(left) | ((term.required | term.optional) & asked)
    return [replace(m, named=tuple(sorted(set(m.named) & said)),
                    seen_from=f"{term.entry} -> {term.via}")
            for m in index_matches(target + " " + " ".join(left), table, follow=False,
                                   main=target.split(",")[0])
            if m.term.entry.lower().startswith(prefix.lower())]


def _seen_with_own(term: IndexTerm, words: list[str], left: set[str], condition: set[str],
                   table: IndexTermTable, asked: set[str]) -> list[IndexMatch]:
    """`_seen` with the words the entry left and those of its own that its "see" reference
    does not name, where that names an entry: a coder reads on with both ("chronic serous
    otitis media" names "Otitis, media, serous -> see Otitis, media, nonsuppurative", and
    under that "chronic" and "serous" lead to "chronic, serous"); else with the words left."""
    beyond = _beyond_target(term, words, condition)
    if set(beyond) > left:
        with_own = _seen(term, beyond, table, asked)
        if with_own:
            return with_own
    return _seen(term, [w for w in words if w in left], table, asked)


def _beyond_target(term: IndexTerm, words: list[str], condition: set[str]) -> list[str]:
    """The question's condition words that the entry a "see" reference names does not: the
    words a coder reads on with under it. "Acute serous otitis media" names "Otitis, media,
    serous" ("acute" is a nonessential modifier there), which says "see Otitis, media,
    nonsuppurative"; under that, "acute" and "serous" lead to "acute or subacute NEC,
    serous"."""
    target = set(entry_words(_see_target(term.via)))
    return [w for w in words if w in condition and w not in target] if target else []


def unclipped(words: list[str], main: str, table: IndexTermTable) -> dict[str, str]:
    """word -> the one word of the entries under main term `main` that it is the clipped
    start of, for each of `words` that the Index writes nowhere as a word of its own: a
    coder reads "has a trach" under "Status" as "Status, tracheostomy", the only word there
    that "trach" begins. A word that begins none or several is left as it is."""
    under = [p for w in lookup_words(main) for p in table.by_main.get(w, ())]
    if not under:
        return {}
    written = {w for p in under for w in phrase_words(table.terms[p].entry)}
    compared = {c for w in written for c in lookup_words(w)}
    found = {}
    for word in words:
        if len(word) < MIN_CLIPPED_WORD or not word.isalpha() or word in written:
            continue
        if any(c in compared or table.by_main.get(c) for c in lookup_words(word)):
            continue  # the Index names it as it is written
        begun = {w for w in written if w.startswith(word) and len(w) > len(word)}
        if len(begun) == 1:
            found[word] = begun.pop()
    return found


def less_patient(text: str, record_words: frozenset[str]) -> str:
    """The text less the words that say whose record it is ("newborn", as the tabular's
    chapter notes name the records: `record_words`) and where on their body ("on her back"):
    what is left to look up where the whole names no entry ("newborn with a birthmark on her
    back" is "Birthmark", a code of no site and of any patient's record)."""
    text = _ON_BODY.sub(" ", text)
    return " ".join(w for w in text.split() if not set(lookup_words(w)) & record_words)


def _sees_further(term: IndexTerm, asked: set[str]) -> bool:
    """Whether the entry's "see" reference names the entry's own words and more that the
    question does not say: "Twin, pregnancy -> see Pregnancy, twin, conjoined" is a twin
    pregnancy of a kind the question did not ask for."""
    target = set(entry_words(_see_target(term.via)))
    own = set(entry_words(term.entry))
    return bool(target) and own < target and not target - own <= asked


def _see_target(via: str) -> str:
    """The entry a "see" reference names ("see Pregnancy, normal" -> "Pregnancy, normal");
    "" for a "see also", a row of the Table of Drugs or the Neoplasm Table, or none."""
    if is_table_row(via) or not via.lower().startswith("see ") or \
            via.lower().startswith("see also"):
        return ""
    return _NONESSENTIAL.sub("", via[len("see "):]).strip()


def _absent(text: str) -> set[str]:
    """The words of each ", no ..." and "without ..." of the text, to its next comma or
    stop: what is absent names no entry ("Graves' disease without thyrotoxic crisis")."""
    return {w for m in _ABSENT.finditer(text)
            for w in entry_words(m.group(1) or m.group(2)) + (_WITHOUT if m.group(2) else [])}


def clauses(text: str) -> list[str]:
    """The text's clauses, as its commas and semicolons part them (empty ones left out); a
    part that joins words with "and" or "or" is the end of a list the comma began, not a
    clause of its own ("hand, foot and mouth disease" is one name)."""
    parts: list[str] = []
    for part in (p.strip() for p in _CLAUSE_BREAK.split(text)):
        if parts and _LIST_END.search(part):
            parts[-1] += ", " + part
        elif part:
            parts.append(part)
    return parts


def _healing_course(text: str) -> set[str]:
    """The words of each short clause after the first that names healing ("healing well")."""
    clauses = [entry_words(m.group(1)) for m in _CLAUSE.finditer(text)]
    return {w for words in clauses if _HEALING & set(words) and len(words) <= MAX_COURSE_WORDS
            for w in words}


def _age(text: str) -> set[str]:
    """The words of each age the text gives ("my 15-month-old", "a 6 year old"): whose
    record it is, never an entry."""
    return {w for m in _AGE.finditer(text) for w in entry_words(m.group(0))}


def _still(text: str) -> set[str]:
    """"still" as the adverb of going on ("still isn't walking"), as "keeps" is a word of
    keeping on; not the eponym ("Still's disease")."""
    return set(_STILL_WORDS) if _STILL_ADVERB.search(text) else set()


def _gestation_weeks(text: str) -> set[str]:
    """The words of each weeks of gestation the text gives ("24 weeks along")."""
    return {w for m in GESTATION_WEEKS.finditer(text) for w in entry_words(m.group(0))}


def _joined(words: list[str]) -> set[str]:
    """Each pair of the question's words written as one ("pink eye" is also "pinkeye"),
    where the first is short enough for the pair to differ from it as compared; a pair
    written as one may be a stopword ("o" and "f" of "c/o f/u": "of"), which is no word."""
    return {joined for a, b in zip(words, words[1:]) if len(a) < LOOKUP_PREFIX_LENGTH
            for joined in _join(a, b)}


def _join(a: str, b: str) -> list[str]:
    """The two words written as one, as compared; none where that is a stopword."""
    return lookup_words(a + b)[:1]


def _unnamed(term: IndexTerm, words: list[str], condition: set[str],
             compounds: Mapping[str, tuple[str, str]]) -> set[str]:
    """The condition's words the entry does not name, itself or as a pair written as one
    word ("Coldsore" names "cold sore"), or as the two words of one written as one ("Ear,
    wax" names "earwax": `_compounds`)."""
    named = set(term.required | term.optional)
    left = set(condition)
    for a, b in zip(words, words[1:]):
        if len(a) < LOOKUP_PREFIX_LENGTH and set(_join(a, b)) & named:
            left -= {a, b}
    left -= {word for word, parts in compounds.items() if set(parts) <= named}
    return left - named


def _compounds(text: str, table: IndexTermTable) -> dict[str, tuple[str, str]]:
    """Each word written as one that begins no main term, as compared -> its two parts, each
    of which begins one: "earwax" -> ("ear", "wax"), as the Index has "Ear, wax" and "Wax in
    ear". A word that begins a main term ("Heartburn") is looked up as it is."""
    found = {}
    for word in phrase_words(text):
        splits = two_parts(word)
        if not splits or not word.isalpha() or _begins_main(word, table):
            continue
        for first, second in splits:
            if _begins_main(first, table) and _begins_main(second, table):
                found[lookup_words(word)[0]] = (lookup_words(first)[0], lookup_words(second)[0])
                break
    return found


def _compared(text: str) -> list[tuple[str, str]]:
    """(word, the word as a lookup compares it) of each word of a text."""
    return [(word, compared) for word in phrase_words(text) for compared in lookup_words(word)]


def _named_otherwise(term: IndexTerm, said: list[tuple[str, str]]) -> bool:
    """Whether the entry names a word of the question (`said`, see `_compared`) by another
    word that only begins like it: "Splenectasis" for "splenectomy" (both "splene")."""
    entry: dict[str, list[str]] = {}
    for word, compared in _compared(term.entry):
        entry.setdefault(compared, []).append(word)
    for word, compared in said:
        alike = entry.get(compared, [])
        if alike and all(endings_differ(word, other) for other in alike):
            return True
    return False


def _words_written(match: IndexMatch, written: set[str]) -> int:
    return len(written & set(phrase_words(match.term.entry)))


def _specificity(match: IndexMatch) -> int:
    return len(match.term.required & set(match.named))


@dataclass(frozen=True)
class Places:
    """The code set's places of occurrence, as `named_place` compares a question's words:
    every lookup word of their names, and the word each name ends on, what place it is
    ("Highway rest stop" is a stop, "Swimming-pool in single-family (private) house" a pool)."""

    words: frozenset[str]
    heads: frozenset[str]

    @classmethod
    def of(cls, titles: Iterable[str]) -> "Places":
        names = [_PLACE_TITLE_END.split(title)[0] for title in titles]
        heads = [entry_words(_PLACE_NAME_END.split(_NONESSENTIAL.sub(" ", name))[0])
                 for name in names]
        return cls(frozenset(w for name in names for w in entry_words(name)),
                   frozenset(words[-1] for words in heads if words))


def named_place(text: str, places: Callable[[], Places]) -> str | None:
    """The phrase that says where it happened ("in a pool"): "in" or "at" and words up to a
    comma or the end, each a word of the code set's places of occurrence and the last a
    place's own name (`places()`, read only when the question has such a phrase: "at rest"
    is no place though "Highway rest stop" is); None when there is none. ICD-10-CM codes the
    place apart from the condition (Y92), so no index entry names it."""
    matches = list(_PLACE.finditer(text))
    if not matches:
        return None
    known = places()
    for match in matches:
        words = [w for w in entry_words(match.group("place")) if w not in _POSSESSIVES]
        if words and set(words) <= known.words and words[-1] in known.heads:
            return match.group(0)
    return None


def named_occasion(text: str) -> str | None:
    """The clause after the condition that says on what occasion it happens ("every time I
    brush"): what the patient does then, which no entry of the condition names."""
    match = next((m for m in _OCCASION.finditer(text) if text[:m.start()].strip()), None)
    return match.group(0).strip() if match else None


def named_cause(text: str, cause_words: Callable[[], frozenset[str]]) -> str | None:
    """The phrase after the condition that says how it happened ("while cooking", "falling off
    a ladder"), each of its words one the code set's external causes use (`cause_words()`, read
    only when the question has such a phrase); None when there is none. ICD-10-CM codes the
    external cause apart (V00-Y99), so no Index entry of the injury names it."""
    matches = [m for m in _CAUSE.finditer(text) if text[:m.start()].strip()]
    if not matches:
        return None
    known = cause_words()
    for match in matches:
        words = [w for w in entry_words(match.group("cause")) if w not in _POSSESSIVES]
        if words and set(words) <= known:
            return match.group(0).strip()
    return None
