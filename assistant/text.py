"""Words of a text, one module for every stage: search, synonyms, readings, ranking, analysis.

Pure functions over strings. Where two stages genuinely read words differently they get two
named functions here, never a private regex of their own:

- `search_tokens`: lower-case words less `STOPWORDS`, exactly as the lexical (BM25) index
  tokenized every chunk it holds. Changing it would silently mismatch every built index.
- `words`: every lower-case word (the fake test embedding's bag of words).
- `phrase_words` / `phrase_key`: words as the synonym table keys a phrase (apostrophes
  dropped, a plain plural "s" removed).
- `word_spans`: words as the asker wrote them, with their offsets (for readings).
- `initial_words`: words as an abbreviation counts them ("Post-traumatic" is two).
- `lookup_words`: words as an Alphabetic Index lookup compares them (longer stems);
  `endings_differ`: two such words that name different things ("splenectomy", "splenectasis").
- `PREFIX_LENGTH`, `prefix`: the word stem two texts are matched on ("fractures" and
  "fracture" share "fract").
- `without_framing`: a question less the words that frame it ("what is the code for").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[a-z0-9]+")
# Gravida and para, the obstetric count of a woman's pregnancies and births ("G2P1", "G3 P2"):
# a word about the patient, though it has a code's shape.
GRAVIDA_PARA = re.compile(r"\bG\d{1,2}\s?P\d{1,4}\b", re.I)
_SPAN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_INITIAL_WORD = re.compile(r"[A-Za-z']+")

# Words too common to search on; the lexical index was built without them.
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of",
    "on", "or", "the", "to", "with", "what", "which", "code", "codes", "whats",
})
# Words of a code's title that state no detail of their own ("unspecified", "due to", ...).
GENERIC_TITLE_WORDS = frozenset({
    "unspecified", "nos", "and", "of", "the", "or", "in", "to", "with", "without", "a", "an",
    "by", "for", "due", "as", "on",
})
# Words that frame a question rather than say what it is about, removed before searching.
_FRAMING_WORDS = re.compile(r"\b(what('s| is)?|which|the|an?|icd[- ]?10(-cm)?|cpt|hcpcs|codes?|for|"
                            r"diagnosis|dx|please|give me|find|look ?up|i need|do you have|"
                            r"tell me)\b", re.I)
_DATE_OF_SERVICE_WORDS = re.compile(r"\b(dos|date of service)\b", re.I)
# Two words match when their first PREFIX_LENGTH letters do: "fractures" and "fracture",
# "diabetic" and "diabetes".
PREFIX_LENGTH = 5
# Endings that change what a word names, though its first letters are the same: an
# operation ("splenectomy"), an inflammation ("gastritis"), a dilation ("splenectasis"), an
# enlargement ("splenomegaly"). An Alphabetic Index lookup matches two words only when they
# end alike, or neither does; an adjective ends as its noun ("thrombotic" as "thrombosis").
MEANING_ENDINGS = {"ectomy": "ectomy", "ostomy": "ostomy", "otomy": "otomy", "plasty": "plasty",
                   "pexy": "pexy", "rrhaphy": "rrhaphy", "scopy": "scopy", "scopic": "scopy",
                   "graphy": "graphy", "graphic": "graphy", "ectasis": "ectasis",
                   "ectasia": "ectasis", "ectatic": "ectasis", "itis": "itis", "itic": "itis",
                   "osis": "osis", "otic": "osis", "megaly": "megaly", "algia": "algia",
                   "pathy": "pathy", "pathic": "pathy", "plegia": "plegia", "plegic": "plegia",
                   "lysis": "lysis", "lytic": "lysis"}
# Words an Alphabetic Index lookup compares (see `lookup_words`).
LOOKUP_PREFIX_LENGTH = 6
# A question word shorter than this ("ii", "of") does not count towards word coverage.
MIN_CONTENT_LENGTH = 3
# A plural "s" is removed only from a word longer than this ("gas" and "bus" stay).
_MIN_PLURAL_LENGTH = 4
# The shortest regular past participle read as its verb ("tied" is no "ti").
_MIN_PARTICIPLE = 5
# The shortest part of a word written as one that may be two ("ear" of "earwax").
MIN_COMPOUND_PART = 3


def words(text: str) -> list[str]:
    """Every lower-case word of letters and digits."""
    return _WORD.findall(text.lower())


def search_tokens(text: str) -> list[str]:
    """Lower-case words less stopwords: how the lexical index tokenizes chunks and queries."""
    return [t for t in _WORD.findall(text.lower()) if t not in STOPWORDS]


def prefix(word: str) -> str:
    return word[:PREFIX_LENGTH]


def meaning_ending(word: str) -> str:
    """The word's ending of MEANING_ENDINGS as its noun's, or "" ("splenectomy" -> "ectomy",
    "thrombotic" -> "osis")."""
    return next((noun for ending, noun in MEANING_ENDINGS.items()
                 if word.endswith(ending) and len(word) > len(ending) + 2), "")


def endings_differ(a: str, b: str) -> bool:
    """Whether two words name different things by their endings ("splenectomy" and
    "splenectasis", "gastric" and "gastritis"), however alike they begin."""
    return meaning_ending(a) != meaning_ending(b)


def prefixes(tokens: Iterable[str]) -> set[str]:
    return {prefix(t) for t in tokens}


def coverage_words(text: str) -> list[str]:
    """The search tokens that count towards word coverage: no short words, no bare numbers."""
    return [w for w in search_tokens(text) if len(w) >= MIN_CONTENT_LENGTH and not w.isdigit()]


def title_detail_words(text: str) -> list[str]:
    """The search tokens of a title that state a detail: no generic title words."""
    return [w for w in search_tokens(text) if w not in GENERIC_TITLE_WORDS]


def phrase_words(text: str) -> list[str]:
    """Lower-case words, apostrophes dropped, a plain plural 's' removed."""
    return [_singular(w) for w in _WORD.findall(text.lower().replace("'", ""))]


def phrase_key(text: str) -> str:
    """How the synonym table keys a phrase: "Athlete's feet" -> "athlete feet"."""
    return " ".join(phrase_words(text))


def _singular(word: str) -> str:
    if len(word) >= _MIN_PLURAL_LENGTH and word.endswith("s") \
            and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def lookup_words(text: str) -> list[str]:
    """Words as an Alphabetic Index lookup compares them: singular ("arteries" is "artery"),
    less stopwords, cut to LOOKUP_PREFIX_LENGTH letters, which keeps "osteoarthritis" apart
    from "osteophyte" where PREFIX_LENGTH does not."""
    found = []
    for word in phrase_words(text):
        if word in STOPWORDS:
            continue
        if len(word) > _MIN_PLURAL_LENGTH and word.endswith("ie"):  # "arteries" -> "arterie"
            word = word[:-2] + "y"
        found.append(word[:LOOKUP_PREFIX_LENGTH])
    return found


def regular_bases(word: str) -> list[str]:
    """The verbs a regular past participle may be of: "bruised" -> "bruise", "sprained" ->
    "sprain", "clotted" -> "clot", "calcified" -> "calcify"."""
    if len(word) < _MIN_PARTICIPLE or not word.endswith("ed"):
        return []
    bases = [word[:-1], word[:-2]]
    if word[-3] == word[-4]:
        bases.append(word[:-3])
    if word.endswith("ied"):
        bases.append(word[:-3] + "y")
    return bases


def two_parts(word: str) -> list[tuple[str, str]]:
    """Each way a word written as one splits in two, each part at least MIN_COMPOUND_PART
    letters: "tailbone" -> ("tai", "lbone"), ("tail", "bone"), ("tailb", "one")."""
    return [(word[:cut], word[cut:])
            for cut in range(MIN_COMPOUND_PART, len(word) - MIN_COMPOUND_PART + 1)]


def word_spans(text: str) -> list[re.Match[str]]:
    """Words as written (case kept, "athlete's" whole), each with its offsets in the text."""
    return list(_SPAN.finditer(text))


def initial_words(text: str) -> list[str]:
    """Words as an abbreviation counts them: "Post-traumatic" is two."""
    return _INITIAL_WORD.findall(text.replace("-", " "))


def without_framing(text: str) -> str:
    """The text with each framing word (and "date of service") replaced by a space."""
    return _DATE_OF_SERVICE_WORDS.sub(" ", _FRAMING_WORDS.sub(" ", text))


# Where on a part, as titles state it: "upper back" is not "Low back pain", a "lower
# respiratory infection" not an "upper" one. ("low" says where only before "back": "low vision"
# is no place.)
_POSITIONS = {"upper": re.compile(r"\bupper\b", re.I),
              "lower": re.compile(r"\blower\b|\blow(?=\s+back\b)", re.I),
              "anterior": re.compile(r"\banterior\b", re.I),
              "posterior": re.compile(r"\bposterior\b", re.I),
              "proximal": re.compile(r"\bproximal\b", re.I),
              "distal": re.compile(r"\bdistal\b", re.I)}
_OPPOSITE_POSITIONS = (("upper", "lower"), ("anterior", "posterior"), ("proximal", "distal"))


def places_otherwise(text: str, other: str) -> bool:
    """Whether `other` places it on the part opposite the one `text` names (upper or lower,
    anterior or posterior, proximal or distal), naming not the one `text` names."""
    return positions_opposed(positions_named(text), positions_named(other))


def positions_named(text: str) -> frozenset[str]:
    """Where on a part the text places it: "upper", "lower", "anterior" ..."""
    return frozenset(name for name, pattern in _POSITIONS.items() if pattern.search(text))


def positions_opposed(said: frozenset[str], stated: frozenset[str]) -> bool:
    """Whether the positions `stated` hold the opposite of one `said`, and not it."""
    return any(one in said and two not in said and two in stated and one not in stated
               for pair in _OPPOSITE_POSITIONS for one, two in (pair, pair[::-1]))
