"""The synonym table: an asker's word -> the words the indexed code sets use for it.

Built at ingest from the indexed code sets' own search text (titles, inclusion terms,
"includes" terms) and two sources of synonyms, WordNet and HPO:

- WordNet 3.0 synsets about the body, its states and its substances ("pinkeye" is a synonym of
  "conjunctivitis"; "break" of "fracture"), kept only towards a word the code sets use far
  more often: "pink eye" -> "conjunctivitis", never "hypertension" -> "high blood
  pressure";
- abbreviations the code sets define themselves: "Chronic kidney disease (CKD)" makes
  "CKD" -> "chronic kidney disease"; or use in a term beside words that spell them: J44.1's
  "Decompensated COPD" beside its title "Chronic obstructive pulmonary disease ...";
- a condition's acronym in WordNet, read as its spelled-out name ("PMS" -> "premenstrual
  syndrome") unless the code sets write that acronym themselves ("NEC");
- the initials of the one leading name of a title or term they spell: "UTI" -> N39.0's
  "Urinary tract infection", never "CKD" where chronic and cystic kidney disease both fit; a
  word of the prefix "non" also counted as two ("NSSI" -> R45.88's "Nonsuicidal self-injury");
- a verb of bodily acts, or its -ing form, as the noun of its act the code sets use
  ("peeing" -> "micturition": WordNet's "pee" is "urinate, micturate", whose nouns are
  "urination, micturition"; "burping" -> "eructation"), where they use it MORE_COMMON
  times more often than the verb's form;
- the Human Phenotype Ontology's layperson synonyms ("bad breath" -> "halitosis") and its
  abbreviations of one term ("CHF" -> "congestive heart failure"), read as the name of the
  term the code sets use;
- a list of medical abbreviations (corpus/abbreviations.py) for those no source above reads:
  "UC" -> "ulcerative colitis", the one meaning of the list's two that the code sets name;
- a one-letter abbreviation of the list whose one meaning is among the code sets' commonest
  words: "L" and "R" before a body part are "left" and "right", words of a fifth of
  ICD-10-CM's titles ("L TMJ pain"); "D" (diopter) or "P" (pulse) are not read;
- a drug's other name in WordNet (a trade or street name, first of all that drug) as the
  drug's first name where the Table of Drugs and Chemicals has a row for it ("Tylenol" ->
  "acetaminophen", "meth" -> "methamphetamine"; "Plavix" is not read: the FY2017 Table has
  no clopidogrel);
- a relative's condition as the code sets' family history: "mom had" -> "family history of"
  (the relatives as WordNet names them); a relative who is the patient ("grandpa is
  confused") as no part of the condition;
- last, for those nothing else reads, the abbreviations HPO's definitions and comments spell
  out ("syndrome of inappropriate antidiuretic hormone secretion (SIADH)"), where the code
  sets name one of the long forms HPO gives it;
- an adjective of one sense that neither the code sets nor the Alphabetic Index use, as
  the other words of that sense in WordNet that the Index uses ("blurry" -> "blurred", the
  Index's "Vision, blurred"), read only where the Index finds the question so read;
- the descriptions of terms the code sets or the Alphabetic Index name, for a question that
  describes a condition rather than names it (`glosses`, a reverse dictionary: see
  assistant/index/glosses.py): WordNet's glosses of conditions and bodily processes
  (photophobia: "pain in the eye resulting from exposure to bright light") and HPO's
  synonyms of every scope and definitions (Ptosis: "Drooping upper eyelid"), with the word
  families WordNet relates by derivation (`related`: "sex" and "sexual").

A condition that has no synonym in the code sets is read as the condition WordNet names
as its part ("heart attack" has "myocardial infarction"). Acronyms ("MI", "ALS", "CKD") are
matched only where the asker writes them in capitals, so the word "all" is never "ALL".
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from assistant.corpus import abbreviations as listed
from assistant.corpus.abbreviations import Abbreviation
from assistant.corpus.alphabetic_index import IndexEntry
from assistant.corpus.hpo import (ABBREVIATION, DEFINED, LAYPERSON, HpoDescription, HpoSynonym,
                                  source_name)
from assistant.index.glosses import GlossIndex, content_forms, is_content, word_form
from assistant.corpus.wordnet import (CONDITION_LEXNAME, KEPT_LEXNAMES, SOURCE as WORDNET,
                                      SUBSTANCE_LEXNAME, Synset, WordNet, ing_form)
from assistant.text import STOPWORDS, initial_words, lookup_words, phrase_key, phrase_words

SYNONYMS_FILE = "synonyms.json"
# How an Alphabetic Index entry refers to another ("Abrasion, shin -> see Abrasion, leg").
_SEE = "see "
# A title's site that says no site ("... of unspecified lower leg"), or which side.
_NO_SITE = frozenset({"unspecified", "other", "left", "right", "bilateral"})
# The WordNet synsets whose glosses describe a condition in plain words.
GLOSS_LEXNAMES = (CONDITION_LEXNAME, "noun.process")
# The chunks that name what a code is: its title and the other names it is known by.
SYNONYM_SECTIONS = ("descriptor", "inclusion_term", "includes_term")
TITLE_SECTION = SYNONYM_SECTIONS[0]
MAX_WORDS = 5
# A word the code sets use is read as a synonym only when they use the synonym this many
# times more often ("shingles" once, "zoster" in 40 titles; not "nausea" as "sickness").
MORE_COMMON = 5
MAX_ALTERNATIVES = 2
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*")
# An undefined abbreviation in a term: three to six capitals ("NOS" is the tabular's own).
_CAPITALS = re.compile(r"\b(?!NOS\b|NEC\b)[A-Z]{3,6}\b")
# A word the code sets write in capitals, as their own word ("NEC", "HIV"); one joined to a
# word before it is part of a compound name ("B-CLL"), not the acronym written on its own.
_WRITTEN_CAPITALS = re.compile(r"(?<!-)\b[A-Z][A-Z0-9]+\b")
# Where a title's or term's leading name ends: "Urinary tract infection, site not specified".
_LEADING_NAME_END = re.compile(r"[,;:(\[]")
# The shortest and longest leading names read by their initials ("UTI"; two letters are too
# ambiguous).
MIN_INITIALS, MAX_INITIALS = 3, 6
# A residual category's title ("Other specified ...") is not a name anyone abbreviates.
RESIDUAL = ("other", "unspecified")
# The prefix of negation, written joined or apart ("nonsuicidal", "non-ST elevation").
NON_PREFIX = "non"
# "mom had breast cancer" is a family history: the code sets' words for a relative's
# condition ("Family history of malignant neoplasm of breast").
FAMILY_HISTORY = "family history"
RELATIVE_VERBS = ("had", "has")
RELATIVE_SOURCE = f"a relative's condition as a family history (relatives: {WORDNET})"
# "grandpa is confused", "mom seems dizzy": the relative is the patient, and the words that
# say so name no part of the condition (read as nothing, so the rest is looked up alone).
PATIENT_VERBS = ("is", "was", "seems", "feels", "gets", "keeps", "looks")
PATIENT_SOURCE = f"the relative the question is about, not the condition (relatives: {WORDNET})"
INDEX_ADJECTIVE_SOURCE = f"{WORDNET}, an adjective of one sense as the Alphabetic Index words it"
INDEX_VERB_SOURCE = f"{WORDNET}, a bodily verb the code sets also use otherwise, as the " \
    "Alphabetic Index words it"
INDEX_FORM_SOURCE = f"{WORDNET}, a verb's irregular past form as the verb, an Alphabetic Index " \
    "main term"
INDEX_ACT_SOURCE = f"{WORDNET}, a verb as the word of its act that is an Alphabetic Index " \
    "main term"
# Abbreviations that are also everyday English words: "OR" in a question is rarely an
# operating room.
ENGLISH_WORDS = STOPWORDS | {"am", "us", "we", "he", "me", "my", "no", "not", "do", "so", "up",
                             "go", "if", "all", "can", "may", "has", "had", "was", "per",
                             "off", "out", "new", "old", "see", "man", "pet", "mad", "sad"}
# "Long form (ABBR)" or "Long form [ABBR]" in a title or term.
# A one-letter abbreviation is read only as a word in at least this share of the code sets'
# titles and terms: one letter is too ambiguous to read as anything rarer.
LETTER_SHARE = 0.05
# An aside in a WordNet gloss: "pain in the eye ... bright light (often associated with
# albinism)".
_ASIDE = re.compile(r"\([^)]*\)")
_DEFINED_ABBREVIATION = re.compile(r"([A-Za-z][A-Za-z' -]*?)\s*[(\[]([A-Z]{2,6})[)\]]")


def is_acronym(lemma: str) -> bool:
    return bool(_ACRONYM.fullmatch(lemma))


@dataclass
class SynonymTable:
    """phrase key (or acronym as written) -> [(the code sets' phrase, source)], best first;
    bases: irregular forms of the words it holds ("broken" -> "break");
    kin: a body part's word and its adjective, both ways ("nose" <-> "nasal"), so a question
    about a nose is seen to be about "nasal bones";
    senses: an acronym of the list with several meanings the code sets name ("PE": physical
    examination, pulmonary embolism), read only where the question's words pick one;
    index_words: a word read only where the Alphabetic Index finds the question so read
    ("blurry" as the Index's "blurred");
    glosses: (term, description, source) of the terms the code sets or the Index name, for
    a question that describes a condition ("bright light hurts" for photophobia);
    when_words: words that say when, how often or how much ("weekend", "lately") and that
    the code sets and the Alphabetic Index never write: no part of a condition;
    time_nouns: words whose commonest sense is a noun of time ("morning", "week"), which
    say when only after a word that points to a time ("every morning", "last week");
    injections: the words WordNet names an injection given by ("shot", "booster")."""

    phrases: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    acronyms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    bases: dict[str, str] = field(default_factory=dict)
    kin: dict[str, list[str]] = field(default_factory=dict)
    senses: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    index_words: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    glosses: list[tuple[str, str, str]] = field(default_factory=list)
    related: dict[str, list[str]] = field(default_factory=dict)
    sites: list[str] = field(default_factory=list)
    # a word that names whose record a chapter's notes speak of -> those records' words:
    # "mom" -> ["maternal"], "preemie" -> ["newborn"] (`_record_persons`)
    records: dict[str, list[str]] = field(default_factory=dict)
    when_words: list[str] = field(default_factory=list)
    time_nouns: list[str] = field(default_factory=list)
    injections: list[str] = field(default_factory=list)

    @functools.cached_property
    def gloss_index(self) -> GlossIndex:
        """The descriptions by their words, built once per table."""
        return GlossIndex(self.glosses, self.related, self.sites)

    @functools.cached_property
    def when(self) -> frozenset[str]:
        """`when_words` as a set, made once per table."""
        return frozenset(self.when_words)

    @functools.cached_property
    def injection_words(self) -> frozenset[str]:
        """`injections` as a set, made once per table."""
        return frozenset(self.injections)

    @functools.cached_property
    def times(self) -> frozenset[str]:
        """`time_nouns` as a set, made once per table."""
        return frozenset(self.time_nouns)

    @functools.cached_property
    def site_words(self) -> frozenset[str]:
        """The one-word body parts of `sites`, as forms, worked out once."""
        return frozenset(site for site in self.sites if " " not in site)

    @functools.cached_property
    def body_words(self) -> frozenset[str]:
        """The lookup words of every body part `kin` holds, worked out once."""
        return frozenset(p for word in self.kin for p in lookup_words(word))

    def save(self, path: Path) -> None:
        staging = path.with_name(path.name + ".new")
        staging.write_text(json.dumps({"phrases": self.phrases, "acronyms": self.acronyms,
                                       "bases": self.bases, "kin": self.kin,
                                       "senses": self.senses,
                                       "index_words": self.index_words,
                                       "glosses": self.glosses,
                                       "related": self.related, "sites": self.sites,
                                       "records": self.records,
                                       "when_words": self.when_words,
                                       "time_nouns": self.time_nouns,
                                       "injections": self.injections}))
        os.replace(staging, path)

    @classmethod
    def load(cls, path: Path) -> "SynonymTable":
        if not path.exists():
            return cls()
        data = json.loads(path.read_text())
        as_pairs = lambda table: {k: [tuple(p) for p in v] for k, v in table.items()}  # noqa: E731
        return cls(as_pairs(data["phrases"]), as_pairs(data["acronyms"]), data["bases"],
                   data["kin"], as_pairs(data.get("senses", {})),
                   as_pairs(data.get("index_words", {})),
                   [tuple(g) for g in data.get("glosses", [])], data.get("related", {}),
                   data.get("sites", []), data.get("records", {}),
                   data.get("when_words", []), data.get("time_nouns", []),
                   data.get("injections", []))


def build_synonym_table(texts: Iterable[tuple[str, str]], wordnet: WordNet,
                        hpo: Iterable[HpoSynonym] = (), hpo_version: str = "",
                        abbreviations: Iterable[Abbreviation] = (),
                        abbreviations_version: str = "",
                        index_paths: Iterable[tuple[str, ...]] = (),
                        descriptions: Iterable[HpoDescription] = (),
                        drug_rows: Iterable[str] = (),
                        record_words: Iterable[str] = (),
                        site_references: Iterable[tuple[IndexEntry, str]] = (),
                        title_words: Iterable[str] = ()) -> SynonymTable:
    """texts: (where, text) of every title and term the index searches ("ICD-10-CM N18.9");
    wordnet: what `load_wordnet` reads (an empty WordNet() leaves the abbreviations only);
    hpo: HPO's layperson synonyms and abbreviations, of the file's `hpo_version`;
    abbreviations: the medical abbreviation list, of its `abbreviations_version`;
    index_paths: the Alphabetic Index entries' levels, which name what the titles may not;
    descriptions: HPO's synonyms and definitions of its terms, of `hpo_version`;
    drug_rows: the names of the Table of Drugs and Chemicals' rows ("Acetaminophen");
    record_words: whose records the tabular's chapter notes name ("maternal", "newborn");
    site_references: Alphabetic Index entries that refer a site to another under their main
    term ("Abrasion, shin -> see Abrasion, leg"), each with its code's title;
    title_words: every word of the codes' titles."""
    synsets, primary_senses = wordnet.synsets, wordnet.primary_senses
    hpo = list(hpo)
    layperson = [t for t in hpo if t.kind == LAYPERSON]
    lemma_keys = {phrase_key(l) for s in synsets for l in s.lemmas + s.names}
    lemma_words = {w for key in lemma_keys for w in key.split()}
    listed_all = list(abbreviations)
    abbreviations = [a for a in listed_all if is_acronym(a.said)]
    if primary_senses:  # without WordNet, no telling shorthand from an English word
        abbreviations += _shorthand(listed_all, lemma_keys | set(primary_senses))
    lemma_keys |= {phrase_key(p) for t in hpo for p in (t.said, *t.names, *t.broader)}
    lemma_keys |= {phrase_key(m) for a in abbreviations for m in a.meanings}
    lemma_keys |= {phrase_key(w) for form, (_, nouns) in wordnet.act_nouns.items()
                   for w in (form, *nouns)}
    lemma_keys.add(FAMILY_HISTORY)
    descriptions = list(descriptions)
    lemma_keys |= {phrase_key(d.text) for d in descriptions}
    index_paths = list(index_paths)
    named = {phrase_key(path[0]) for path in index_paths}  # what the code sets name
    frequency: Counter[str] = Counter()   # in how many texts each WordNet phrase occurs
    defined: dict[str, tuple[str, str]] = {}
    texts_of: dict[str, list[str]] = {}
    written: set[str] = set()   # the words the code sets write in capitals ("NEC", "HIV")
    vocabulary: set[str] = set()   # every word of the code sets' titles and terms
    texts_with: Counter[str] = Counter()   # in how many titles and terms each word occurs
    for where, text in texts:
        written.update(_WRITTEN_CAPITALS.findall(text))
        tokens = phrase_words(text)
        vocabulary.update(tokens)
        texts_with.update(set(tokens))
        frequency.update(_phrases_in(tokens, lemma_keys))
        texts_of.setdefault(where, []).append(text)
        named.update((phrase_key(text), phrase_key(_LEADING_NAME_END.split(text)[0])))
        for long_form, abbreviation in _abbreviations(text):
            defined.setdefault(abbreviation, (long_form, where))
    used_abbreviations = _used_abbreviations(texts_of, set(defined))
    table = SynonymTable()
    by_key = {s.key: s for s in synsets}

    def safe(lemma: str, synset: Synset) -> bool:
        # a substance's word is safe only in a substance's synset (see wordnet's doc)
        sense = primary_senses.get(lemma.lower())
        return bool(frequency[phrase_key(lemma)]) and \
            (sense in KEPT_LEXNAMES or sense == SUBSTANCE_LEXNAME == synset.lexname)

    used_verbs: dict[str, list[tuple[str, str]]] = {}
    for synset in sorted(synsets, key=lambda s: s.lexname != CONDITION_LEXNAME):
        used = [l for l in synset.names or synset.lemmas if safe(l, synset)]
        if not used and synset.lexname == CONDITION_LEXNAME:
            used = [l for key in synset.parts if key in by_key
                    for l in by_key[key].lemmas if safe(l, by_key[key])]
        for lemma in synset.lemmas:
            own = frequency[phrase_key(lemma)]
            better = sorted((l for l in used if frequency[phrase_key(l)] > MORE_COMMON * own
                             and phrase_key(l) != phrase_key(lemma)),
                            key=lambda l: -frequency[phrase_key(l)])
            acts = [l for l in better if l in synset.nouns]
            if own and acts:
                # A bodily verb the code sets use in another sense ("Twist, twisted, bowel")
                # is read as the noun of what it does only where the Index confirms it
                # ("twisted ankle" as "Sprain, ankle": WordNet's "twist, sprain, wrench,
                # turn", whose "sprain" is first of all the noun; not "injure, wound", whose
                # "wound" is first of all another noun than the verb's).
                used_verbs.setdefault(phrase_key(lemma), [
                    (noun.lower(), INDEX_VERB_SOURCE) for noun in acts[:MAX_ALTERNATIVES]])
            if own and (synset.names or synset.lexname != CONDITION_LEXNAME):
                # A body part or an adjective the code sets use is kept as they use it:
                # hip is not pelvis, and "rheumatoid" is not just "arthritis".
                continue
            for alternative in better:
                _add(table, lemma, alternative.lower(), WORDNET)
            if is_acronym(lemma) and not better and synset.lexname == CONDITION_LEXNAME \
                    and lemma not in written:
                # A condition's acronym is read as its spelled-out name even where the code
                # sets word it differently ("PMS" -> "premenstrual syndrome", N94.3's
                # "Premenstrual tension syndrome"); never one the code sets write themselves
                # ("NEC" is theirs). Only a word written in capitals is read so.
                for spelled in [l for l in synset.lemmas if not is_acronym(l)][:1]:
                    _add(table, lemma, spelled.lower(), WORDNET)
    for term in layperson:
        _add_layperson(table, term, frequency, source_name(hpo_version, LAYPERSON),
                       wordnet.adjective_synonyms)
    _add_drug_names(table, wordnet.drug_names, drug_rows, primary_senses)
    for form, (verb, nouns) in sorted(wordnet.act_nouns.items()):
        own = frequency[phrase_key(form)]
        used = sorted((n for n in nouns if frequency[phrase_key(n)] > MORE_COMMON * own),
                      key=lambda n: -frequency[phrase_key(n)])
        for noun in used:
            _add(table, form, noun.lower(), f"{WORDNET}, the verb '{verb}' as its act's noun")
    for abbreviation, (long_form, where) in sorted(defined.items()):
        _add(table, abbreviation, long_form.lower(), f"abbreviation defined in {where}")
    for abbreviation, long_form, where in used_abbreviations:
        _add(table, abbreviation, long_form.lower(), f"abbreviation used in {where}")
    for abbreviation, name in sorted(_hpo_abbreviations(hpo, frequency).items()):
        if abbreviation not in table.acronyms and abbreviation not in written:
            _add(table, abbreviation, name, source_name(hpo_version, ABBREVIATION))
    index_entries = [_content_words(" ".join(path)) for path in index_paths]
    vocabulary |= lemma_words.union(*index_entries)
    # a word that says when, how often or how much, that no title, term or Index entry writes
    # as it is, as its singular ("years": "year") or as the adjective an adverb is made of
    # ("chronic": "chronically");
    # none that is also another word's irregular form ("sat": Saturday, and "sit")
    table.when_words = [w for w in wordnet.when_words
                        if w not in vocabulary and not set(phrase_words(w)) & vocabulary
                        and not _adjective_bases(w) & vocabulary
                        and w not in wordnet.exceptions]
    table.time_nouns = [w for w in wordnet.time_nouns if w not in wordnet.exceptions]
    table.injections = list(wordnet.injections)
    # a procedure's acronym is read where WordNet names the procedure ("THA": "total hip
    # arthroplasty"): the status after it is coded ("s/p L THA": Z96.642)
    listed_readings, listed_senses = _listed_abbreviations(
        abbreviations, frequency, index_entries, vocabulary | set(wordnet.surgeries))
    for abbreviation, meaning in sorted(listed_readings.items()):
        known = table.acronyms if is_acronym(abbreviation) else table.phrases
        if abbreviation in written:
            continue
        if abbreviation not in known:
            _add(table, abbreviation, meaning, listed.source_name(abbreviations_version))
        elif _more_used(meaning, known[abbreviation], frequency):
            # "ARDS": WordNet's "wet lung" is in one term; the list's "acute respiratory
            # distress syndrome" is J80's own title, and more: it is read first
            options = [o for o in known[abbreviation] if o[0] != meaning]
            known[abbreviation] = [(meaning, listed.source_name(abbreviations_version)),
                                   *options][:MAX_ALTERNATIVES]
    text_count = sum(len(found) for found in texts_of.values())
    for letter, meaning in sorted(_letters(listed_all, texts_with, text_count).items()):
        table.acronyms[letter] = [(meaning, listed.source_name(abbreviations_version))]
    if frequency[FAMILY_HISTORY]:
        for relative in wordnet.relatives:
            for verb in RELATIVE_VERBS:
                _add(table, f"{relative} {verb}", f"{FAMILY_HISTORY} of", RELATIVE_SOURCE)
    for relative in wordnet.relatives:
        for verb in PATIENT_VERBS:
            _add(table, f"{relative} {verb}", "", PATIENT_SOURCE)
    # last: initials are a guess, never one the list contradicts ("PUD" is not read as
    # "phencyclidine use disorder" where the list says peptic ulcer disease)
    meanings_of = {a.said: {m.lower() for m in a.meanings} for a in abbreviations}
    for initials, (long_form, where) in sorted(_unique_initials(texts_of, vocabulary).items()):
        contradicted = long_form.lower() not in meanings_of.get(initials, {long_form.lower()})
        if initials not in table.acronyms and initials not in written and not contradicted:
            _add(table, initials, long_form, f"initials of {where}'s words")
    # after the initials: a definition's long form is read only where nothing else reads the
    # abbreviation (HPO's "blood-brain barrier" is not I45.4's "bundle branch block")
    for abbreviation, long_form in sorted(_hpo_defined(hpo, frequency, index_entries).items()):
        if abbreviation not in table.acronyms and abbreviation not in written:
            _add(table, abbreviation, long_form, source_name(hpo_version, DEFINED))
    for abbreviation, meanings in sorted(listed_senses.items()):
        if abbreviation not in table.acronyms and abbreviation not in written:
            table.senses[abbreviation] = [(m, listed.source_name(abbreviations_version))
                                          for m in meanings]
    table.glosses = _glosses(synsets, descriptions, named, frequency, hpo_version)
    table.related = _related_forms(table.glosses, wordnet.derivations)
    table.sites = _site_forms(wordnet.body_parts, wordnet.exceptions)
    body_parts = {part.lower() for part in wordnet.body_parts}
    for said, (site, where) in sorted(_index_sites(site_references, body_parts,
                                                   set(title_words)).items()):
        _add(table, said, site, where)
    table.records = _record_persons(set(record_words), wordnet)
    table.index_words = _index_adjectives(wordnet.adjective_synonyms, texts_with, index_entries)
    for word, options in sorted(used_verbs.items()):
        if word not in table.phrases:  # read as a phrase already ("break" -> "fracture")
            table.index_words.setdefault(word, options)
    _index_bases(table, wordnet.past_forms, index_paths, texts_with, index_entries)
    _index_verb_forms(table, wordnet.verb_nouns, index_paths, texts_with, index_entries)
    table.bases = {form: base for form, base in sorted(wordnet.exceptions.items())
                   if phrase_key(base) in table.phrases and phrase_key(form) != phrase_key(base)}
    for adjective, part in wordnet.body_adjectives:
        if " " not in adjective and " " not in part:
            for word, other in ((adjective.lower(), part.lower()), (part.lower(), adjective.lower())):
                kinds = table.kin.setdefault(word, [])
                if other not in kinds:
                    kinds.append(other)
    return table


def _glosses(synsets: Iterable[Synset], descriptions: Iterable[HpoDescription],
             named: set[str], frequency: Counter[str],
             hpo_version: str) -> list[tuple[str, str, str]]:
    """(term, description, source) of each WordNet condition or bodily process and each
    HPO term whose name is a title, an inclusion term, a title's leading name or an
    Alphabetic Index main term: WordNet's gloss to its first ';' (what follows is a comment
    or an example) less its asides in parentheses, HPO's synonyms and definitions. A
    description the code sets use themselves is left out: a question in those words finds
    their codes as asked ("Dry eyes", HPO's synonym of Keratoconjunctivitis sicca, is in
    "Dry eye syndrome")."""
    found: dict[tuple[str, str], str] = {}
    for synset in synsets:
        if synset.lexname not in GLOSS_LEXNAMES or synset.names:
            continue
        description = " ".join(_ASIDE.sub(" ", synset.gloss.split(";")[0]).split())
        for lemma in synset.lemmas:
            if phrase_key(lemma) in named and phrase_key(lemma) != phrase_key(description):
                found.setdefault((lemma, description), WORDNET)
    for said in descriptions:
        if phrase_key(said.name) in named and phrase_key(said.name) != phrase_key(said.text) \
                and not frequency[phrase_key(said.text)]:
            found.setdefault((said.name, said.text),
                             f"{source_name(hpo_version, said.kind)} of {said.name}")
    return [(term, description, source) for (term, description), source in found.items()]


def _related_forms(glosses: Iterable[tuple[str, str, str]],
                   derivations: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """word form -> the forms WordNet relates to it by derivation, both ways, for the pairs
    of which a description uses one ("sex" -> "sexual" for "painful sexual intercourse")."""
    used = {form for _, description, _ in glosses for form in content_forms(description)}
    related: dict[str, list[str]] = {}
    for one, other in derivations:
        pair = word_form(one), word_form(other)
        if pair[0] == pair[1] or not (set(pair) & used) \
                or not (is_content(one) and is_content(other)):
            continue
        for form, relative in (pair, pair[::-1]):
            forms = related.setdefault(form, [])
            if relative not in forms:
                forms.append(relative)
    return related


def _record_persons(record_words: set[str], wordnet: WordNet) -> dict[str, list[str]]:
    """Each word that names a person whose record the chapters' notes speak of, with those
    records' words: the record word itself, the names of persons that are a kind of it, or of
    the person it pertains to ("maternal": "mother"), and the adjectives that pertain to one
    of those: "mom" -> ["maternal"], "preemie" -> ["newborn"], "neonatal" -> ["newborn"]."""
    persons = {word: {word} for word in record_words}
    for adjective, person in wordnet.person_adjectives:
        if adjective in persons:
            persons[adjective].add(person)
    found: dict[str, set[str]] = {word: {word} for word in record_words}
    for word, kind in wordnet.person_kinds:
        for record, names in persons.items():
            if kind in names:
                found.setdefault(word, set()).add(record)
    for adjective, person in wordnet.person_adjectives:  # "neonatal": of a newborn
        for record, names in persons.items():
            if person in names:
                found.setdefault(adjective, set()).add(record)
    return {word: sorted(records) for word, records in sorted(found.items())}


def _index_sites(references: Iterable[tuple[IndexEntry, str]], body_parts: set[str],
                 title_words: set[str]) -> dict[str, tuple[str, str]]:
    """A body part (WordNet's) that no code's title writes -> the site the tabular writes
    for it, and the entry that says so: the end of its code's title after "of", where that
    ends with the one site the entry refers it to under the same main term, and every such
    entry agrees ("Abrasion, shin -> see Abrasion, leg", S80.81- "Abrasion of lower leg":
    "shin" is "lower leg")."""
    found: dict[str, set[str]] = {}
    cited: dict[str, str] = {}
    for entry, title in references:
        if len(entry.path) != 2 or not entry.via.startswith(_SEE):
            continue
        main, said = entry.path[0], entry.path[1].lower()
        other = entry.via[len(_SEE):]
        if other.lower().count(", ") != 1 or not other.lower().startswith(f"{main.lower()}, ") \
                or said not in body_parts \
                or set(phrase_words(said)) & title_words or " of " not in title:
            continue
        site = title.rsplit(" of ", 1)[1].lower()
        if phrase_words(site)[-1:] != phrase_words(other[len(main) + 2:])[-1:] \
                or phrase_words(site)[0] in _NO_SITE:
            continue
        found.setdefault(said, set()).add(site)
        cited.setdefault(said, f"ICD-10-CM Alphabetic Index: {', '.join(entry.path)} -> "
                               f"{entry.via} ({entry.code} '{title}')")
    return {said: (sites.pop(), cited[said]) for said, sites in found.items() if len(sites) == 1}


def _site_forms(body_parts: Iterable[str], exceptions: dict[str, str]) -> list[str]:
    """WordNet's body parts and the irregular plurals of their one-word names ("calf",
    "calves", "big toe"), each as its words' forms."""
    parts = {part.lower() for part in body_parts}
    parts |= {form for form, base in exceptions.items() if base in parts and " " not in form}
    forms = {" ".join(word_form(w) for w in re.findall(r"[a-z]+", part) if is_content(w))
             for part in parts}
    return sorted(form for form in forms if form)


def _add_layperson(table: SynonymTable, term: HpoSynonym, frequency: Counter[str],
                   source: str, adjective_synonyms: dict[str, tuple[str, ...]]) -> None:
    """A layperson synonym is read as the name of its term the code sets use most, where
    they use it MORE_COMMON times more often than the layperson's words ("bad breath" ->
    "halitosis"); where they use none, as the nearest broader term (is_a) that its name
    makes it a kind of ("Bluish lips": "Lip cyanosis" is a kind of "Cyanosis"). It is
    also read with an adjective of one sense in WordNet's other words for it ("blue lips")."""
    own = frequency[phrase_key(term.said)]
    if is_acronym(term.said):
        return
    used = [n for n in term.names if frequency[phrase_key(n)] > MORE_COMMON * own]
    kinds = [b for b in term.broader if _kind_of(term.names[0], b)
             and frequency[phrase_key(b)] > MORE_COMMON * own]
    if used:
        read_as = max(used, key=lambda n: frequency[phrase_key(n)]).lower()
    elif kinds:
        read_as = kinds[0].lower()
        source = f"{source} of {term.names[0]}, a kind of {kinds[0]}"
    else:
        return
    _add(table, term.said, read_as, source)
    words = term.said.lower().split()
    for i, word in enumerate(words):
        for other in adjective_synonyms.get(word, ()):
            said = " ".join(words[:i] + [other] + words[i + 1:])
            _add(table, said, read_as, f"{source}: '{term.said}', with {WORDNET}'s "
                                       f"'{other}' for '{word}'")


def _index_adjectives(adjective_synonyms: dict[str, tuple[str, ...]], texts_with: Counter[str],
                      index_entries: list[set[str]]) -> dict[str, list[tuple[str, str]]]:
    """An adjective of one sense that no title, term or Alphabetic Index entry uses -> the
    other words of that sense that Index entries use, the most used first ("blurry" ->
    "blurred": WordNet's "bleary, blurred, blurry, foggy, ..." and the Index's "Vision,
    blurred"). A word of one sense is that sense wherever it is said; the reading is kept
    for the Index to confirm, since its synonyms may have other senses there."""
    in_entries: Counter[str] = Counter(w for entry in index_entries for w in entry)
    found = {}
    for word, others in sorted(adjective_synonyms.items()):
        if texts_with[word] or in_entries[word]:
            continue
        used = sorted((o for o in others if in_entries[o]), key=lambda o: (-in_entries[o], o))
        if used:
            found[phrase_key(word)] = [(o, INDEX_ADJECTIVE_SOURCE) for o in used[:MAX_ALTERNATIVES]]
    return found


def _index_bases(table: SynonymTable, past_forms: dict[str, str],
                 index_paths: list[tuple[str, ...]], texts_with: Counter[str],
                 index_entries: list[set[str]]) -> None:
    """A verb's irregular past form ("bit", "tore") is read as the verb where that is an
    Alphabetic Index main term ("Bite", "Tear") and neither the code sets nor the Index
    write the form itself ("wound" is the Index's own word, never "wind"): a reading the
    Index must confirm (`index_words`), as the form may be another word ("a bit")."""
    main_terms = {_LEADING_NAME_END.split(path[0])[0].strip().lower() for path in index_paths
                  if path}
    written = set().union(*index_entries) if index_entries else set()
    for form, base in sorted(past_forms.items()):
        key = phrase_key(form)
        if " " in key or base.lower() not in main_terms or key == phrase_key(base) \
                or texts_with[key] or key in written or key in table.phrases:
            continue
        table.index_words.setdefault(key, [(base.lower(), INDEX_FORM_SOURCE)])


def _index_verb_forms(table: SynonymTable, verb_nouns: dict[str, tuple[str, ...]],
                      index_paths: list[tuple[str, ...]], texts_with: Counter[str],
                      index_entries: list[set[str]]) -> None:
    """A verb, its -s form or its -ing form that neither the code sets nor the Index write
    is read as the word the Index writes for its act, a main term: the -ing form ("sucks his
    thumb" as "Sucking thumb"), else the nouns WordNet derives from the verb ("losing
    weight" as "Loss, weight"). A reading the Index must confirm (`index_words`): the form
    may be another word, and the noun may have other senses there."""
    main_words = {w for path in index_paths if path for w in phrase_words(path[0])}
    written = set().union(*index_entries) if index_entries else set()
    for verb, nouns in sorted(verb_nouns.items()):
        ing = ing_form(verb)
        read_as = [ing] if ing in main_words else [n for n in nouns if n in main_words]
        for form in (verb, ing):
            key = phrase_key(form)
            if not read_as or form in read_as or texts_with[key] or key in written \
                    or key in table.phrases or key in table.index_words:
                continue
            table.index_words[key] = [(r, INDEX_ACT_SOURCE) for r in read_as[:MAX_ALTERNATIVES]]


def _kind_of(name: str, broader: str) -> bool:
    """A name that is the broader term's with words before it ("Lip cyanosis", "Cyanosis")."""
    return phrase_key(name).endswith(" " + phrase_key(broader))


def _hpo_abbreviations(hpo: list[HpoSynonym], frequency: Counter[str]) -> dict[str, str]:
    """abbreviation -> the name of its HPO term the code sets use most ("CHF" ->
    "congestive heart failure"), for an abbreviation of exactly one term ("ASD" is both
    atrial septal defect and autistic behavior, and is left out) that the code sets name."""
    names: dict[str, set[str]] = {}
    for term in hpo:
        if term.kind != ABBREVIATION or not is_acronym(term.said) \
                or len(term.said) < MIN_INITIALS:
            continue  # two letters are too ambiguous ("CP": cerebral palsy or chest pain)
        used = [n for n in term.names if frequency[phrase_key(n)]]
        best = max(used, key=lambda n: frequency[phrase_key(n)], default="")
        names.setdefault(term.said, set()).add(best.lower())
    return {said: found.pop() for said, found in names.items() if len(found) == 1 and "" not in found}


def _letters(abbreviations: list[Abbreviation], texts_with: Counter[str],
             text_count: int) -> dict[str, str]:
    """A capital letter -> its one meaning in the list, where that meaning is a word of at
    least LETTER_SHARE of the code sets' titles and terms ("L" -> "left")."""
    found = {}
    for abbreviation in abbreviations:
        said, meanings = abbreviation.said, abbreviation.meanings
        if len(said) == 1 and said.isupper() and len(meanings) == 1 and text_count \
                and texts_with[meanings[0].lower()] >= LETTER_SHARE * text_count:
            found[said] = meanings[0].lower()
    return found


def is_letter(word: str) -> bool:
    """One capital letter, as the table keys a one-letter abbreviation ("L")."""
    return len(word) == 1 and word.isupper()


def _hpo_defined(hpo: list[HpoSynonym], frequency: Counter[str],
                 index_entries: list[set[str]]) -> dict[str, str]:
    """abbreviation -> the long form HPO's text spells it out as, where the code sets name
    exactly one of its long forms, in a title or term or an Alphabetic Index entry: "ITP" is
    "idiopathic thrombocytopenic purpura" (D69.3's term) and "inosine triphosphate" (named
    nowhere). Two letters are too ambiguous, as for HPO's own abbreviations."""
    long_forms: dict[str, set[str]] = {}
    for term in hpo:
        if term.kind == DEFINED and is_acronym(term.said) and len(term.said) >= MIN_INITIALS:
            long_forms.setdefault(term.said, set()).update(n.lower() for n in term.names)
    every = {f for found in long_forms.values() for f in found}
    named = {f for f in every if frequency[phrase_key(f)]} | _in_index(every, index_entries)
    found = {}
    for abbreviation, forms in long_forms.items():
        used = forms & named
        if len(used) == 1:
            found[abbreviation] = used.pop()
    return found


def _more_used(meaning: str, options: list[tuple[str, str]], frequency: Counter[str]) -> bool:
    """Whether the code sets' titles and terms use a meaning more often than the first
    reading found so far."""
    return frequency[phrase_key(meaning)] > frequency[phrase_key(options[0][0])]


def _listed_abbreviations(abbreviations: list[Abbreviation], frequency: Counter[str],
                          index_entries: list[set[str]],
                          vocabulary: set[str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """abbreviation -> the one meaning of it that the code sets name, in a title or term or
    in an Alphabetic Index entry ("UC" -> "ulcerative colitis"; the list's other meaning,
    "urothelial carcinoma", is named nowhere), or its only meaning where they name none
    ("BV" -> "bacterial vaginosis"), if they know each of its words and it is written in
    capitals. One with two named meanings is left out ("CVA": costovertebral angle,
    cerebrovascular accident), and so is one that spells an English word ("OR"); second,
    the named meanings of each acronym left out so (its senses)."""
    candidates = [a for a in abbreviations if a.said.lower() not in ENGLISH_WORDS]
    meanings = {m for a in candidates for m in a.meanings}
    named = {m for m in meanings if frequency[phrase_key(m)]} | _in_index(meanings, index_entries)
    found, senses = {}, {}
    for abbreviation in candidates:
        used = [m for m in abbreviation.meanings if m in named]
        if not is_acronym(abbreviation.said):
            used = _far_most_used(used, frequency)
        only = abbreviation.meanings[0]
        if len(used) == 1:
            found[abbreviation.said] = used[0].lower()
        elif len(abbreviation.meanings) == 1 and is_acronym(abbreviation.said) \
                and _content_words(only) <= vocabulary:
            found[abbreviation.said] = only.lower()
        elif len(used) > 1 and is_acronym(abbreviation.said):
            senses[abbreviation.said] = list(dict.fromkeys(m.lower() for m in used))
    return found, senses


def _far_most_used(meanings: list[str], frequency: Counter[str]) -> list[str]:
    """Of a shorthand's meanings the code sets name, the one they name MORE_COMMON times as
    often as each other, as the WordNet readings are kept; else all of them. Its meanings
    come merged from spellings the list keeps apart (`_shorthand`): "Fx" fracture, in
    thousands of titles, and "fx" fractions, in four terms ("ejection fraction")."""
    if len(meanings) < 2:
        return meanings
    best = max(meanings, key=lambda m: frequency[phrase_key(m)])
    if all(frequency[phrase_key(best)] > MORE_COMMON * frequency[phrase_key(m)]
           for m in meanings if m != best):
        return [best]
    return meanings


def _shorthand(abbreviations: list[Abbreviation], english: set[str]) -> list[Abbreviation]:
    """The list's abbreviations that are not acronyms, as the synonym table keys a phrase
    ("Hx" -> "hx": history; "h/o" -> "h o": history of), their meanings merged where two
    spellings meet ("Fx" fracture and "fx" fractions: two meanings). Left out: an English
    word (WordNet's "ant" is no anterior) or one in it ("A&P": "a p"), a single letter
    ("L"), one with digits ("L4") and one of more than two words."""
    merged: dict[str, list[str]] = {}
    for abbreviation in abbreviations:
        key = phrase_key(abbreviation.said)
        words = key.split()
        if is_acronym(abbreviation.said) or not 1 <= len(words) <= 2 or len(key) < 2 \
                or any(c.isdigit() for c in key) or key in english \
                or any(w in ENGLISH_WORDS for w in words):
            continue
        meanings = merged.setdefault(key, [])
        meanings += [m for m in abbreviation.meanings if m.lower() not in
                     {n.lower() for n in meanings}]
    return [Abbreviation(key, tuple(meanings)) for key, meanings in sorted(merged.items())]


def _in_index(phrases: Iterable[str], index_entries: list[set[str]]) -> set[str]:
    """The phrases whose words are all in one Alphabetic Index entry (its words as
    `_content_words` reads them): "cerebrovascular accident" in "Accident > cerebrovascular"."""
    wanted = {p: w for p in phrases if (w := _content_words(p))}
    all_words = set().union(*wanted.values()) if wanted else set()
    entries_with: dict[str, set[int]] = {}
    for number, entry in enumerate(index_entries):
        for word in entry & all_words:
            entries_with.setdefault(word, set()).add(number)
    return {phrase for phrase, words in wanted.items()
            if set.intersection(*[entries_with.get(w, set()) for w in words])}


def _adjective_bases(adverb: str) -> set[str]:
    """The adjectives an adverb may be made of: "severely" of "severe", "chronically" of
    "chronic", "easily" of "easy", "probably" of "probable"."""
    if not adverb.endswith("ly"):
        return set()
    bases = {adverb[:-2], adverb[:-1] + "e"}
    if adverb.endswith("ally"):
        bases.add(adverb[:-4])
    if adverb.endswith("ily"):
        bases.add(adverb[:-3] + "y")
    return bases


def _content_words(text: str) -> set[str]:
    return {w for w in phrase_words(text) if w not in STOPWORDS}


def _add_drug_names(table: SynonymTable, drug_names: Iterable[tuple[str, tuple[str, ...]]],
                    drug_rows: Iterable[str], primary_senses: dict[str, str]) -> None:
    """A drug's other names as the name the Table of Drugs gives it: the drug's first name,
    or the first word of it where that word is no other word of WordNet's (WordNet's
    "methotrexate sodium" is the Table's "Methotrexate"; "calcium blocker" is no calcium).
    A name the Table has a row for is left as it is ("Coumadin")."""
    rows = {_drug_row_key(row) for row in drug_rows}
    for first, others in drug_names:
        words = first.split()
        if phrase_key(first) in rows:
            name = first
        elif len(words) > 1 and phrase_key(words[0]) in rows \
                and words[0].lower() not in primary_senses:
            name = words[0]
        else:
            continue
        for other in others:
            if phrase_key(other) not in rows:
                _add(table, other, name.lower(), f"{WORDNET}, a name of the drug {name}")


def _drug_row_key(row: str) -> str:
    """A Table row's name as a phrase key, less its asides: "Amphetamine NEC" -> "amphetamine"."""
    return phrase_key(re.sub(r"\([^)]*\)|\bNEC\b", " ", row))


def _add(table: SynonymTable, said: str, read_as: str, source: str) -> None:
    if is_acronym(said):
        entries = table.acronyms.setdefault(said, [])
    else:
        entries = table.phrases.setdefault(phrase_key(said), [])
    if len(entries) < MAX_ALTERNATIVES and all(r != read_as for r, _ in entries):
        entries.append((read_as, source))


def _phrases_in(tokens: list[str], wanted: set[str]) -> set[str]:
    found = set()
    for start in range(len(tokens)):
        for end in range(start + 1, min(start + MAX_WORDS, len(tokens)) + 1):
            phrase = " ".join(tokens[start:end])
            if phrase in wanted:
                found.add(phrase)
    return found


def _used_abbreviations(texts_of: dict[str, list[str]],
                        defined: set[str]) -> list[tuple[str, str, str]]:
    """(abbreviation, long form, where) for an abbreviation a code's term uses without
    defining it, spelled by the initials of words in the code's title or another of its
    terms: J44.1 "Decompensated COPD" beside "Chronic obstructive pulmonary disease with
    (acute) exacerbation". Two-letter ones are too ambiguous to align ("AB blood")."""
    found, seen = [], set()
    for where, texts in texts_of.items():
        for abbreviation in sorted({a for t in texts for a in _CAPITALS.findall(t)} - defined):
            for text in texts:
                long_form = _spelled(abbreviation, text)
                if long_form and (abbreviation, long_form.lower()) not in seen:
                    seen.add((abbreviation, long_form.lower()))
                    found.append((abbreviation, long_form, where))
                    break
    return found


def _unique_initials(texts_of: dict[str, list[str]],
                     vocabulary: AbstractSet[str] = frozenset()) -> dict[str, tuple[str, str]]:
    """initials -> (leading name, where) for the initials that spell exactly one leading name
    of a title or term in the code sets: "UTI" is only N39.0's "Urinary tract infection",
    while "CKD" could be chronic or cystic kidney disease and is left out. A name with a
    stopword or a word in capitals, or a residual category's, is not one an asker would
    abbreviate by its initials. A word of the prefix "non" is also counted as two
    (`_non_split`): "NSSI" is R45.88's "Nonsuicidal self-injury"."""
    names: dict[str, dict[str, str]] = {}
    split_names: dict[str, dict[str, str]] = {}
    for where, texts in texts_of.items():
        for text in texts:
            words = [w for w in initial_words(_LEADING_NAME_END.split(text)[0])
                     if w not in ("NOS", "NEC")]
            if not MIN_INITIALS <= len(words) <= MAX_INITIALS or words[0].lower() in RESIDUAL \
                    or any(w.isupper() or w.lower() in STOPWORDS or not w.isalpha()
                           for w in words):
                # a quoted or accented word ("'Haltlose' type", "Calvé's") has no plain
                # initial
                continue
            name = " ".join(words).lower()
            names.setdefault(_initials(words), {}).setdefault(name, where)
            split = _non_split(words, vocabulary)
            if split != words and len(split) <= MAX_INITIALS:
                split_names.setdefault(_initials(split), {}).setdefault(name, where)
    # a name's initials as written come first: "NSSH" stays I62.02's "Nontraumatic subacute
    # subdural hemorrhage", never R45.88's "Nonsuicidal self-harm" with the prefix apart
    split_names = {i: found for i, found in split_names.items() if i not in names}
    return {initials: next(iter(found.items()))
            for initials, found in (names | split_names).items() if len(found) == 1}


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words).upper()


def _non_split(words: list[str], vocabulary: AbstractSet[str]) -> list[str]:
    """The words with one of the prefix "non" counted as two, where the rest is a word of
    the code sets: they write the prefix joined ("Nonsuicidal") and apart, and count it apart
    in their own acronyms ("Non-ST elevation (NSTEMI) myocardial infarction")."""
    split = []
    for word in words:
        rest = word[len(NON_PREFIX):]
        if word.lower().startswith(NON_PREFIX) and len(rest) >= MIN_INITIALS \
                and rest.lower() in vocabulary:
            split += [word[:len(NON_PREFIX)], rest]
        else:
            split.append(word)
    return split


def _spelled(abbreviation: str, text: str) -> str | None:
    """Consecutive words of a text whose initials spell the abbreviation, none of them
    written in capitals."""
    parts = initial_words(text)
    n = len(abbreviation)
    for start in range(len(parts) - n + 1):
        span = parts[start:start + n]
        if _spell(span, abbreviation) and not any(p.isupper() for p in span):
            return " ".join(span)
    return None


def _abbreviations(text: str) -> list[tuple[str, str]]:
    """(long form, abbreviation) where the initials of the words before spell it."""
    found = []
    for match in _DEFINED_ABBREVIATION.finditer(text):
        before, abbreviation = match.group(1), match.group(2)
        span = initial_words(before)[-len(abbreviation):]
        if _spell(span, abbreviation):
            found.append((" ".join(span), abbreviation))
    return found


def _spell(span: list[str], abbreviation: str) -> bool:
    return len(span) == len(abbreviation) and \
        "".join(p[0] for p in span).upper() == abbreviation
