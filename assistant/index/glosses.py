"""A reverse dictionary: an everyday description found as the term a source defines by it.

Askers often describe a condition rather than name it ("bright light hurts both eyes"). The
sources the project reads define terms in plain words: WordNet's gloss of photophobia is
"pain in the eye resulting from exposure to bright light", HPO's definition of Photopsia
"Perceived flashes of light", and HPO's synonyms of Ptosis include "Drooping upper eyelid".
The synonym table keeps such (term, description, source) triples for the terms the code sets
or the Alphabetic Index name (`synonyms._glosses`); here a question's condition words are
matched against the descriptions by their shared words, after word forms are brought
together ("droopy", "drooping" and "droop" are one form) and a word is matched by the words
WordNet derives from it or it from them ("sex" by "sexual", "pass" by "passage").

A description matches only when the shared words carry most of the weight of the
question's condition words AND much of the description's own, each word weighted by how
rare it is among the descriptions (its inverse document frequency), so that "disorder" or
"pain" in common count for little and "twitching" or "heights" for much.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assistant.text import STOPWORDS

# The fewest words a question and a description must share.
MIN_SHARED = 2
# The least share of the question's condition words' weight the description holds, and
# of the description's weight the question holds.
QUESTION_SHARE = 0.6
DESCRIPTION_SHARE = 0.5
# Endings removed to bring word forms together, the longest first: "twitching" ->
# "twitch", "flashes" -> "flash", "droopy" -> "droop"; a stem keeps MIN_STEM letters.
_ENDINGS = ("ingly", "ing", "edly", "ed", "iness", "ness", "ies", "es", "s", "ily", "ly", "y")
MIN_STEM = 3
_WORD = re.compile(r"[a-z]+")
_IN_PARENTHESES = re.compile(r"\([^)]*\)")
# Words that say which side, which encounter, or who: the code's characters carry the side
# and the encounter, and no description names them.
SIDE_WORDS = frozenset({"left", "right", "both", "bilateral", "unilateral"})
ENCOUNTER_WORDS = frozenset({"initial", "subsequent", "sequela", "encounter"})
# Words that say a condition is absent: a description so worded ("No gas passage") is the
# opposite of a question that does not say so ("passing gas").
NEGATION_WORDS = frozenset({"no", "not", "without", "absent", "absence", "lack", "lacking",
                            "inability", "unable", "cannot", "cant", "dont", "doesnt",
                            "never", "none"})
# Words that say an ability is impaired, one form whatever the wording: "can't get an
# erection" says what HPO's "Difficulty getting an erection" says, "trouble swallowing" what
# "Difficulty swallowing" says.
IMPAIRED_WORDS = frozenset({"cant", "cannot", "unable", "inability", "difficulty",
                            "difficulties", "difficult", "trouble"})
IMPAIRED_FORM = "cannot"
# English words that name no part of a condition (pronouns, auxiliaries, frequency and
# hedging words), in a question or in a definition's frame ("characterized by").
FILLER_WORDS = frozenset({
    "he", "she", "his", "her", "him", "my", "me", "i", "we", "they", "them", "their", "its",
    "pt", "patient", "has", "have", "had", "keeps", "keep", "kept", "get", "gets", "getting",
    "got", "lot", "lots", "very", "really", "all", "any", "some", "one", "this", "that",
    "than", "which", "who", "may", "can", "also", "such", "other", "not", "no", "usually",
    "often", "especially", "typically", "characterized", "marked", "being", "been", "was",
    "were", "when", "while", "into", "up", "out", "about",
})


def word_form(word: str) -> str:
    """A word with its inflectional or adjective ending removed and a doubled final
    consonant or final e dropped, so that "droopy", "drooping", "droops" are "droop" and
    "eye", "eyes" are "eye" (a stem keeps MIN_STEM letters)."""
    word = word.lower()
    for ending in _ENDINGS:
        if ending == "s" and word.endswith("ss"):
            break  # "pass", "loss": no plural, one form with "passing", "losses"
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            word = word[:-len(ending)] + ("y" if ending == "ies" else "")
            break
    if len(word) > MIN_STEM and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    if len(word) > MIN_STEM and word.endswith("e"):
        word = word[:-1]
    return word


def is_content(word: str) -> bool:
    """A word that may name part of a condition."""
    word = word.lower()
    return len(word) > 1 and word not in STOPWORDS and word not in FILLER_WORDS \
        and word not in SIDE_WORDS and word not in ENCOUNTER_WORDS


def content_forms(text: str) -> frozenset[str]:
    """The word forms of a text's content words; parenthesised asides left out."""
    text = _IN_PARENTHESES.sub(" ", text.lower().replace("'", ""))
    return frozenset(condition_form(w) for w in _WORD.findall(text) if is_content(w))


def condition_form(word: str) -> str:
    """The word's form as a description is matched: `word_form`, and one form for every
    word of impaired ability (IMPAIRED_WORDS)."""
    return IMPAIRED_FORM if word.lower() in IMPAIRED_WORDS else word_form(word)


def negates(text: str) -> bool:
    """Whether a text says something is absent ("No gas passage")."""
    return bool(set(_WORD.findall(text.lower().replace("'", ""))) & NEGATION_WORDS)


@dataclass(frozen=True)
class Gloss:
    term: str          # the term described, as its source names it
    description: str
    source: str
    forms: frozenset[str]
    negated: bool = False


@dataclass(frozen=True)
class Described:
    gloss: Gloss
    score: float       # the product of the two shares
    shared: frozenset[str]


class GlossIndex:
    """The descriptions by their word forms, each form weighted by its rarity."""

    def __init__(self, glosses: Iterable[tuple[str, str, str]],
                 related: Mapping[str, Iterable[str]] | None = None,
                 sites: Iterable[str] = ()) -> None:
        self.glosses = [Gloss(term, description, source, content_forms(description),
                              negates(description))
                        for term, description, source in glosses]
        self.glosses = [g for g in self.glosses if len(g.forms) >= MIN_SHARED]
        self._by_form: dict[str, list[int]] = defaultdict(list)
        for position, gloss in enumerate(self.glosses):
            for form in gloss.forms:
                self._by_form[form].append(position)
        # a word form -> the forms of its family by derivation ("sex" -> "sexual")
        self._related = {form: frozenset(others) for form, others in (related or {}).items()}
        # the body parts by their words' forms ("calv"; "big toe" as "big", "toe"): a site
        # the question names and a description does not is no part of the condition asked
        # about ("twitching in both calves")
        self._sites = [frozenset(site.split()) for site in sites]
        self._gloss_sites = [self.site_forms(gloss.forms) for gloss in self.glosses]
        count = len(self.glosses)
        self._weight = {form: math.log((count + 1) / len(found))
                        for form, found in self._by_form.items()}

    def weight(self, forms: Iterable[str]) -> float:
        # a form no description uses is as rare as a form can be
        rarest = math.log(len(self.glosses) + 1)
        return sum(self._weight.get(form, rarest) for form in forms)

    def site_forms(self, forms: frozenset[str]) -> frozenset[str]:
        """The forms of the body parts whose every word the forms hold."""
        return frozenset().union(*(site for site in self._sites if site <= forms))

    def described(self, forms: frozenset[str], negated: bool = False) -> list[Described]:
        """The descriptions that match the condition's word forms, best first; one that
        says the condition is absent only for a question that says so too."""
        if len(forms) < MIN_SHARED:
            return []
        sites = self.site_forms(forms)
        family = {form: self._related.get(form, frozenset()) | {form} for form in forms}
        reach = frozenset().union(*family.values())
        found = []
        for position in sorted({p for form in reach for p in self._by_form.get(form, ())}):
            gloss = self.glosses[position]
            if gloss.negated and not negated:
                continue
            shared = frozenset(f for f in forms if family[f] & gloss.forms)
            if len(shared) < MIN_SHARED or shared <= sites:
                continue  # a match on the site alone says nothing of the condition
            # the question's site is left aside only where the description names no other
            # ("Lower jaw pain" is not about the belly)
            aside = sites if self._gloss_sites[position] <= reach else frozenset()
            of_question = self.weight(shared) / self.weight(shared | (forms - aside))
            of_description = self.weight(gloss.forms & reach) / self.weight(gloss.forms)
            if _at_least(of_question, QUESTION_SHARE) and \
                    _at_least(of_description, DESCRIPTION_SHARE):
                found.append(Described(gloss, of_question * of_description, shared))
        return sorted(found, key=lambda d: -d.score)


def _at_least(share: float, wanted: float) -> bool:
    """A share at least the one wanted, a float's rounding forgiven (3 of 6 is a half)."""
    return share >= wanted - 1e-9
