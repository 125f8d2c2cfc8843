"""Readings of a question in the code sets' own words: "pink eye" is read as "conjunctivitis".

The asker's words come first: a reading is an extra question searched beside the original,
never a replacement of it. Each reading says which words it read differently and on what
authority (the synonym's source), so the answer can tell the user.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

from assistant.corpus.wordnet import ing_form
from assistant.index.glosses import (ENCOUNTER_WORDS, SIDE_WORDS, condition_form, is_content,
                                     negates, word_form)
from assistant.index.index_terms import IndexTermTable, entry_words
from assistant.index.synonyms import (MAX_WORDS, RELATIVE_SOURCE, RELATIVE_VERBS, SynonymTable,
                                      is_acronym, is_letter)
from assistant.retrieval.index_lookup import (GESTATION_WEEKS, MIN_CLIPPED_WORD,
                                              condition_words, index_matches, takes_in,
                                              unclipped)
from assistant.text import (GRAVIDA_PARA, initial_words, lookup_words, phrase_key, phrase_words,
                            places_otherwise, regular_bases, two_parts, word_spans)

MAX_READINGS = 3
# The shortest -s form of a verb read as the verb ("hurts"; not "is" nor "has").
MIN_VERB_S_FORM = 3
# The start of a question that says what kind of situation it is, read as the Alphabetic
# Index's main term for it: group 1 is the words read.
# A request before it ("code for", "needs a code for", "what's the ICD-10 code for"): the
# framing words of `text.without_framing`, which name nothing of the patient.
_REQUEST = (r"(?:(?:(?:what(?:'s|\s+is)|i\s+need|needs?|give\s+me)\s+)?(?:the\s+|an?\s+)?"
            r"(?:icd[- ]?10(?:-cm)?\s+)?(?:diagnosis\s+|dx\s+)?codes?\s+for\s+)?")
_PATIENT = r"^\s*" + _REQUEST + r"(?:(?:the\s+)?(?:patient|pt)\s+(?:is\s+|has\s+(?:a\s+)?)?)?"
# "on warfarin", "takes a baby aspirin every day", "pt on chronic opioids": a drug the patient
# is on is coded as its long-term (current) use.
_DRUG_USE = re.compile(_PATIENT + r"(on|takes|taking)\s+(?=\w)", re.I)
DRUG_USE_READING = "long-term use of"
DRUG_USE_SOURCE = ("a drug the patient is on as its long-term use (ICD-10-CM Alphabetic Index: "
                   "Long-term (current) (prophylactic) drug therapy (use of))")
# "hx of DVT", "h/o kidney stones", "history of pulmonary embolism": the patient's own
# history, where no relative is named (a relative's is read by the synonym table, "mom had").
_HISTORY = re.compile(_PATIENT + r"(hx\s+of|h/o|history\s+of|hx)\s+(?=\w)", re.I)
PERSONAL_HISTORY_READING = "personal history of"
PERSONAL_HISTORY_SOURCE = ("the patient's own history where no relative is named (ICD-10-CM "
                           "Alphabetic Index: History, personal (of))")
# "had COVID last year, fully recovered", "had gestational diabetes with her last pregnancy",
# "hx of skin cancer, removed": a condition the question says is over is the patient's
# personal history, not the condition now (ICD-10-CM Official Guidelines I.C.21.c.4:
# "Personal history codes explain a patient's past medical condition that no longer exists
# and is not receiving any treatment"). "had chest pain this morning" says nothing is over.
_HAD = re.compile(r"^\s*(?:(?:the\s+)?(?:patient|pt|she|he)\s+)?((?:has\s+)?had)\s+(?=\w)", re.I)
# When it was, long enough ago to be over: "last year", "3 years ago", "as a child", "with her
# last pregnancy" (not "2 days ago": "had a fall 2 days ago" is the injury now).
_OVER_WHEN = re.compile(
    r"\b(?:(?:last|this\s+past)\s+year|(?:\d+|an?|one|two|three|four|five|ten|a\s+few|few|"
    r"several|many)\s+(?:months?|years?|decades?)\s+ago|(?:months|years|decades)\s+ago|"
    r"as\s+an?\s+(?:child|kid|teen|teenager|baby|infant|toddler|adolescent)|"
    r"in\s+(?:childhood|the\s+past)|(?:with|in|during)\s+(?:her|my|the|a|your)\s+"
    r"(?:last|previous|prior|first)\s+pregnancy)\b", re.I)
# That it is over, said in a clause of its own: ", fully recovered", ", removed", ", resolved".
_OVER_CLAUSE = re.compile(r",\s*(?:now\s+)?(?:(?:fully|completely)\s+)?(?:recovered|resolved|"
                          r"removed|cured|excised)(?:\s+now)?\s*(?=[,;.]|$)", re.I)
PAST_CONDITION_SOURCE = ("a condition the question says is over as the patient's personal "
                         "history (ICD-10-CM Official Guidelines I.C.21.c.4: 'a past medical "
                         "condition that no longer exists'; Alphabetic Index: History, "
                         "personal (of))")
# "here for chemo", "pt in for a flu shot", "seen today for a sports physical": the reason for
# a visit is coded as an encounter for it.
_ENCOUNTER = re.compile(_PATIENT + r"((?:here|in|seen)(?:\s+today)?\s+for)\s+(?=\w)", re.I)
ENCOUNTER_READING = "encounter for"
ENCOUNTER_SOURCE = ("the reason for a visit as an encounter for it (ICD-10-CM Alphabetic Index: "
                    "Encounter (with health service) (for))")
# "here to get tested for HIV", "getting checked for diabetes", "pt to be screened for colon
# cancer": testing for a disease is screening for it (ICD-10-CM Z11, Z12, Z13: "Screening is
# the testing for disease or disease precursors in asymptomatic individuals").
_SCREENING = re.compile(_PATIENT + r"((?:(?:here|in|wants?)\s+(?:today\s+)?)?(?:to\s+)?"
                        r"(?:(?:get|be|getting|being)\s+)?(?:tested|checked|screened)\s+for)\s+"
                        r"(?=\w)", re.I)
SCREENING_READING = "screening for"
SCREENING_SOURCE = ("testing for a disease as screening for it (ICD-10-CM Z11-Z13: 'Screening is "
                    "the testing for disease or disease precursors in asymptomatic individuals'; "
                    "Alphabetic Index: Screening (for))")
WHEN_SOURCE = ("WordNet 3.0: an adverb or a noun of time that no code text or Alphabetic "
               "Index entry writes, or a noun of time after a word that points to a time")
# "FHx of stroke", "FH of colon cancer", "fam hx of diabetes": a relative's history.
_FAMILY_HISTORY = re.compile(_PATIENT + r"(fhx\s+of|fhx|fh\s+of|fam(?:ily)?\s+hx\s+of)\s+(?=\w)",
                             re.I)
FAMILY_HISTORY_READING = "family history of"
FAMILY_HISTORY_SOURCE = ("a family history written short (ICD-10-CM Alphabetic Index: History, "
                         "family (of))")
# "family history of colon cancer", "personal history of skin cancer": a history the question
# names in the Alphabetic Index's own words (no reading needed); group 1 is the main term.
_NAMED_HISTORY = re.compile(_PATIENT + r"((?:family|personal)\s+history\s+of)\s+(?=\w)", re.I)
# "dad and brother both had heart attacks", "parents have diabetes": relatives named with
# what they had or have, a family history (one relative who "had" or "has", "mom had", is the
# synonym table's: RELATIVE_VERBS). The words that may name the relatives, joined.
_RELATIVES_HAD = re.compile(r"^\s*(?P<who>[\w' ]+?(?:\s*(?:,|&|\+|/|\band\b)\s*[\w' ]+?)*)"
                            r"\s+(?P<all>(?:both|all)\s+)?(?P<verb>had|have|has)\s+(?=\w)", re.I)
# "my dad was an alcoholic", "mom is a smoker": a relative named as a kind of person (a noun
# after "a" or "an") is named by a lasting condition of theirs, a family history; a relative
# in a state ("grandpa is confused") is the patient (the synonym table's PATIENT_VERBS). An
# age after the article ("mom is a 70 yo with ...") introduces the patient. A relative who
# died of a condition ("dad died of a heart attack"; WordNet 3.0: "die, pass away") or was
# diagnosed with it is no patient either: a family history.
_RELATIVE_CONDITION = re.compile(
    r"^\s*(?P<who>(?:(?:my|his|her|their|pt'?s|patient'?s)\s+)?(?P<relative>\w+)\s+"
    r"(?:(?:was|is)\s+an?|(?:died|passed\s+away|passed)\s+(?:of|from|with)|"
    r"(?:was|got|has\s+been|had\s+been)\s+diagnosed\s+with))\s+(?=[a-z])", re.I)
# "heart disease runs in my family": WordNet 3.0's "run: occur persistently; 'Musical talent
# runs in the family'", a family history of what runs.
_RUNS_IN_FAMILY = re.compile(r"^\s*(?P<condition>[^,;.?!]+?)\s+(?P<runs>(?:runs|run|ran)\s+in\s+"
                             r"(?:my|the|our|his|her|their)\s+family)\b", re.I)
RUNS_IN_FAMILY_SOURCE = ("what runs in the family as a family history (WordNet 3.0: 'run: occur "
                         "persistently; Musical talent runs in the family'; ICD-10-CM "
                         "Alphabetic Index: History, family (of))")
# "I used to smoke", "she used to cut herself": a past habit, said to be no longer so, is the
# patient's personal history (ICD-10-CM Official Guidelines I.C.21.c.4).
_USED_TO = re.compile(r"^\s*(?:(?:the\s+)?(?:patient|pt|she|he|i)\s+)?(used\s+to)\s+(?=\w)",
                      re.I)
USED_TO_SOURCE = ("a past habit ('used to') as the patient's personal history (ICD-10-CM "
                  "Official Guidelines I.C.21.c.4: 'a past medical condition that no longer "
                  "exists'; Alphabetic Index: History, personal (of))")
# "ex-smoker", "pt is a former drinker": one who did something ("smoker", an agent noun in
# -er) and, by "ex-" or "former", does it no more, is the patient's personal history (ICD-10-CM
# Official Guidelines I.C.21.c.4; WordNet 3.0: "ex: a former mate", "former: referring to the
# first of two things or persons mentioned (or the earlier one or ones of several)").
_FORMER = re.compile(r"^\s*(?:(?:the\s+)?(?:patient|pt|she|he|i)(?:\s+is|\s+am|\s+was|['’]s|"
                     r"['’]m)?\s+(?:an?\s+)?)?(ex-|former)\s*(?=[a-z]+ers?\b)", re.I)
FORMER_SOURCE = ("one who does a thing no more ('ex-smoker', 'former drinker') as the "
                 "patient's personal history (ICD-10-CM Official Guidelines I.C.21.c.4: 'a past "
                 "medical condition that no longer exists'; Alphabetic Index: History, personal "
                 "(of))")
# ", quit in 2015", ", quit 5 years ago": when a habit stopped, in a clause of its own (WordNet
# 3.0: "quit, discontinue, stop, cease, give up: put an end to a state or an activity").
_QUIT_CLAUSE = re.compile(r",\s*(?:she\s+|he\s+|i\s+)?quit\b[^,;.]*", re.I)
# "I never wanted to die", "she says she isn't trying to kill herself": a denial of the intent
# to die, in the code set's words (R45.88's inclusion term "Self-inflicted injury without
# suicidal intent"; WordNet 3.0 glosses "commit suicide" as "kill oneself", and HPO defines
# self-mutilation as harm "without a conscious intent to die"). Group "said" is the clause
# read: its subject, the negation and the intent denied, at most three words apart and in
# one clause ("no appetite and wants to die" denies nothing).
_NO_INTENT_TO_DIE = re.compile(
    r"(?P<said>(?:\b(?:i|she|he|they|pt|patient)\s+(?:(?:says?|said|states?|stated|reports?)"
    r"\s+(?:that\s+)?(?:i|she|he|they)\s+)?(?:(?:do|does|did|is|was|has|had)\s+)?)?"
    r"\b(?:never|not|no|denies|denied|without|\w+n['’]t)(?:\s+(?!and\b|but\b|or\b)\w+){0,3}?\s+"
    r"(?:to\s+die|kill(?:ing)?\s+(?:myself|herself|himself|themselves|oneself|yourself))\b)",
    re.I)
WITHOUT_SUICIDAL_INTENT = "without suicidal intent"
NO_INTENT_TO_DIE_SOURCE = ("a denial of the intent to die in the code set's words (ICD-10-CM "
                           "R45.88: 'Self-inflicted injury without suicidal intent'; WordNet "
                           "3.0: 'commit suicide: kill oneself'; HPO: self-mutilation is "
                           "'without a conscious intent to die')")
_RELATIVES_APART = re.compile(r"\s*(?:,|&|\+|/|\band\b)\s*", re.I)
_RELATIVE_OWNERS = frozenset(("my", "his", "her", "their", "pt", "pts", "patient", "patients"))
# "has a colostomy", "s/p tracheostomy", "pt with a ureteral stent", "wears hearing aids": a
# device, an opening or an implant the patient has (or wears) is coded as its status or
# presence. Read so only where the Alphabetic Index has the entry (`Reading.by_index`): "has a
# cold" is no status.
_STATUS = re.compile(_PATIENT + r"(has\s+an?|with\s+an?|s/p|status\s+post|"
                     r"(?:wears|wearing)(?:\s+an?)?)\s+(?=\w)", re.I)
# "s/p" and "status post" say the patient is after a procedure, whatever it is: a status
# that needs no Index entry to confirm it (`Reading.after_procedure`).
_AFTER_PROCEDURE = re.compile(r"s/p|status\s+post", re.I)
STATUS_READINGS = (("status", "a device, opening or implant the patient has as its status "
                              "(ICD-10-CM Alphabetic Index: Status (post))"),
                   ("presence of", "a device or implant the patient has as its presence "
                                   "(ICD-10-CM Alphabetic Index: Presence (of))"))
# "I had heart bypass surgery years ago", "my mother had her left hip replaced", "72 yo s/p
# CABG": a procedure the question says was done, past its start, is read as the status
# after it, as "s/p" at the start is (`Reading.after_procedure`): a coder codes a past
# procedure by the Alphabetic Index's "Status (post)", "Presence (of)" and "Absence (of)
# (organ or part) (acquired)", not by its complications. "had" says so only of an operation
# or of a part had replaced or removed (the causative "have"): "had a stroke" is no
# procedure. Read so only where the procedure is all the question says: one clause, whose
# words before it are its subject and after it say no more than when ("had knee surgery
# last week and now the incision is red" is about the incision).
_DONE_OWNER = r"(?:(?:a|an|the|my|his|her|their)\s+)?"
_DONE = re.compile(
    r"\b(?P<cue>s/p|status\s+post)\s+" + _DONE_OWNER + r"(?P<named>[^,;.?!]+)|"
    r"\b(?P<had>had|has\s+had|got|underwent)\s+" + _DONE_OWNER
    + r"(?P<what>[^,;.?!]*?(?:\b(?:surgery|operation)\b|\s+(?P<done>replaced|removed)\b))",
    re.I)
_FURTHER = re.compile(r"[,;]|[.?!]\s*\w|\b(?:and|but|now|then|with|so|because)\b|\bw/", re.I)
# "left knee replacement", asked alone: the replacement of a part of the body that the
# patient has. The Alphabetic Index's main term "Replacement by (artificial or mechanical
# device or prosthesis of)" leads only to the status codes of a part replaced (Z95-Z97).
# The part at most three words ("left total knee"): not a question about the procedure ("CPT
# code for a total knee replacement").
_REPLACEMENT = re.compile(r"^\s*(?P<part>(?:[\w-]+\s+){0,2}[\w-]+)\s+(?P<noun>replacement)"
                          r"\s*[.?!]?\s*$", re.I)
REPLACEMENT_SOURCE = ("a part's replacement as the status after it (ICD-10-CM Alphabetic "
                      "Index: Replacement by (artificial or mechanical device or prosthesis "
                      "of), whose codes are all statuses, Z95-Z97)")
# A part of the body is what is had replaced or removed ("had a mole removed" is no status).
_PART_FORMS = 2
# "had both ovaries removed": what was removed is absent (ICD-10-CM Z90's inclusion term
# "postprocedural or post-traumatic loss of body part NEC").
ABSENCE_READING = ("acquired absence of",
                   "a part removed as its acquired absence (ICD-10-CM Alphabetic Index: Absence "
                   "(of) (organ or part) (acquired); Z90: 'postprocedural or post-traumatic "
                   "loss of body part NEC')")
DONE_SOURCE = ("a procedure done as the status after it (ICD-10-CM Alphabetic Index: Status "
               "(post))")
# "pt refused flu shot", "patient declined the colonoscopy": a service the patient refused
# is coded as not carried out because of the patient's refusal or decision (an immunization
# Z28.2-, any other procedure or treatment Z53.2-), not as the condition it is about. Each
# reading puts the code set's words after what was refused. The refusal is said of the
# patient ("pt declined", "patient is refusing"), or is "refused" alone: not "declined
# appetite" (lessened) nor "refusing food"; nor a refusal "to" do anything but have a service
# ("refuses to eat"), nor "declined rapidly".
_REFUSED_THING = r"\s+(?:to\s+(?:have|get|take|receive)\s+)?" \
    r"(?:(?:the|a|an|his|her|their)\s+)?(?!to\b|\w+ly\b)(?=\w)"
_REFUSALS = (re.compile(r"^\s*(?:the\s+)?(?:patient|pt|he|she)\s+((?:is\s+|has\s+)?"
                        r"(?:refused|refuses|refusing|declined|declines))" + _REFUSED_THING, re.I),
             re.compile(r"^\s*(refused)" + _REFUSED_THING, re.I))
_REFUSED_SENSE = "WordNet 3.0 has 'refuse' and 'decline' as one sense"
REFUSAL_READINGS = (
    ("not carried out because of patient refusal",
     "a service the patient refused, in the code set's words (ICD-10-CM Z28.21 'Immunization "
     "not carried out because of patient refusal'; Alphabetic Index: Immunization, not done, "
     f"because (of), patient refusal; {_REFUSED_SENSE})"),
    ("not carried out because of patient's decision",
     "a service the patient refused, in the code set's words (ICD-10-CM Z53.2 'Procedure and "
     "treatment not carried out because of patient's decision for other and unspecified "
     f"reasons'; Alphabetic Index: Refusal of, treatment; {_REFUSED_SENSE})"))
# "pregnant", "in pregnancy", "G2P1" (`GRAVIDA_PARA`), "8 wks GA": the patient is pregnant,
# and a condition she has is looked up where the Alphabetic Index puts a condition in a
# pregnancy, under "Pregnancy, complicated by (care of) (management affected by)". The words
# that say so go (with the preposition before them), the weeks stay: they pick the trimester.
_PREGNANT = re.compile(r"(?:\b(?:in|during|with|of)\s+(?:(?:the|her|my|a)\s+)?)?"
                       r"\bpregnan(?:t|cy)\b|" + GRAVIDA_PARA.pattern, re.I)
_GESTATIONAL_AGE = re.compile(r"\b\d{1,2}\s*(?:weeks?|wks?)\s+(?:along|(?:of\s+)?gestation|e?ga)\b",
                              re.I)
# "can't get pregnant", "trying to become pregnant": a pregnancy wished for, not one she has.
_BECOMING_PREGNANT = re.compile(r"\b(?:get|gets|getting|got|become|becomes|becoming|became)\s+"
                                r"pregnant\b", re.I)
PREGNANCY_READING = "pregnancy complicated by"
PREGNANCY_SOURCE = ("a condition of a pregnant patient as the pregnancy complicated by it "
                    "(ICD-10-CM Alphabetic Index: Pregnancy, complicated by (care of) "
                    "(management affected by))")
_SITUATIONS = ((_DRUG_USE, DRUG_USE_READING, DRUG_USE_SOURCE),
               (_FAMILY_HISTORY, FAMILY_HISTORY_READING, FAMILY_HISTORY_SOURCE),
               (_HISTORY, PERSONAL_HISTORY_READING, PERSONAL_HISTORY_SOURCE),
               (_USED_TO, PERSONAL_HISTORY_READING, USED_TO_SOURCE),
               (_FORMER, PERSONAL_HISTORY_READING, FORMER_SOURCE),
               (_ENCOUNTER, ENCOUNTER_READING, ENCOUNTER_SOURCE),
               (_SCREENING, SCREENING_READING, SCREENING_SOURCE))
CLIPPED_SOURCE = ("a clipped word as the one word it begins under the situation's main term "
                  "(ICD-10-CM Alphabetic Index)")
# Ordinal numbers as the code titles write them ("1st degree" is "first degree").
ORDINALS = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth"}
ORDINAL_SOURCE = "an ordinal number written out, as the code titles write it"
CLIPPED_SIDE_SOURCE = "a clipped side word as the code titles write the side"
# An acronym with a number written on it: "DM2", "CKD3".
_NUMBERED = re.compile(r"([A-Z]{2,})(\d+)")
# "concussion w/ LOC", "cellulitis w/o abscess": the clinical shorthand for "with" and
# "without", the words the code titles write.
_WITH_SHORTHAND = re.compile(r"(?<![A-Za-z0-9/])[wW]/(?:(?P<without>[oO])(?![A-Za-z0-9]))?")
WITH_SHORTHAND_SOURCE = "clinical shorthand for 'with' and 'without', as the code titles write them"
# A regular past participle ("bruised", "sprained") is looked up as its verb when the table
# holds the verb ("bruise" -> "contusion", `text.regular_bases`); irregular ones are the
# table's own `bases`.
# The shortest clipped word after a letter and a hyphen ("V-tach", "A-fib").
MIN_CLIPPED = 3
# "lips are turning blue" says what "blue lips" says: a word, a verb that links it to an
# adjective (and one that says it is becoming so), the adjective.
_LINKING_VERBS = frozenset({"is", "are", "was", "were", "look", "looks", "looked", "feel",
                            "feels", "felt", "seem", "seems", "seemed"})
_BECOMING_VERBS = frozenset({"turning", "turned", "turns", "getting", "got", "gets",
                             "becoming", "became", "going", "gone", "went"})
# "eye is always watery", "skin is very dry": how often or how much, between the verb and
# the adjective, says nothing of what the condition is.
_DEGREE_WORDS = frozenset({"always", "often", "constantly", "usually", "very", "so", "really",
                           "too", "quite", "completely", "all"})

# "got sand in my eye", "kid stuck a bead up his nose": a thing the question puts in (up,
# into, inside) a part, up to a comma or the end. The Alphabetic Index lists the parts a
# thing enters through under one entry, whose subterms name them.
_INTO_PART = re.compile(r"\b(?:in|up|into|inside)\s+(?P<part>[^,;.?!]+?)\s*(?=[,;.?!]|$)", re.I)
FOREIGN_BODY = "foreign body"
FOREIGN_BODY_READING = f"{FOREIGN_BODY} in"
FOREIGN_BODY_MAIN = "Foreign body"
FOREIGN_BODY_ENTRY = "Foreign body, entering through orifice"
# Words before the part that name no thing put there: who, and a verb of being or becoming
# ("was hit", "got hit").
_NOT_A_THING = _LINKING_VERBS | _BECOMING_VERBS | frozenset({
    "i", "me", "he", "him", "she", "her", "it", "they", "them", "we", "you", "my", "his",
    "its", "their", "our", "your", "get", "has", "had", "have", "been", "be"})
# The words before one that says when that belong to it ("on the weekends", "since last
# night"): articles and prepositions; not a verb ("eye is always watery").
_BEFORE_WHEN = frozenset({"a", "an", "the", "at", "by", "for", "from", "in", "of", "on", "to",
                          "since", "during", "until", "till", "throughout", "within", "over"})
# The words that point a noun of time to a time ("every morning", "last night", "this week",
# "all the time"): a noun of time without one may name a condition ("morning sickness").
_TIME_POINTERS = frozenset({"this", "that", "these", "those", "every", "each", "last", "next",
                            "all", "per", "past"})
_THE = "the"
# An adverb before these acts as a preposition of place: "pain along the spine", "rash
# across her chest".
_DETERMINERS = frozenset({"the", "a", "an", "my", "his", "her", "their", "our", "your"})
# A space or comma a cut word leaves before a comma or the end ("unemployed ,").
_LEFT_PUNCTUATION = re.compile(r"\s+([,;.?!])")

# (the code sets' phrase, its source) for a phrase of the question; where in the question a
# phrase stands (start, end) and its options, best first.
_Option = tuple[str, str]
_Span = tuple[int, int, list[_Option]]


@dataclass(frozen=True)
class Replacement:
    said: str      # as the asker wrote it
    read_as: str   # the code sets' phrase
    source: str    # "WordNet 3.0", "abbreviation defined in ICD-10-CM N18"


@dataclass(frozen=True)
class Reading:
    text: str
    replacements: tuple[Replacement, ...] = ()
    situation: bool = False  # it reads the situation the question's start names
    # it reads an acronym as one of its several senses ("PE" as pulmonary embolism), or a thing
    # the patient has as its status: to be searched only where the Alphabetic Index finds the
    # question so read
    by_index: bool = False
    # it reads a described condition as the term a source defines by those words: to be
    # searched only where the Alphabetic Index does not name the question as asked
    described: bool = False
    # it reads what "s/p" names as a status: searched even where the Index does not confirm
    # it, and then no code is held back for not naming the status ("s/p appendectomy" may be
    # coded as an acquired absence, "s/p MI" as an old infarction)
    after_procedure: bool = False


def readings_of(text: str, table: SynonymTable) -> list[Reading]:
    """Up to MAX_READINGS readings: the situation its start names (a drug taken, a history,
    a service refused: `_refusal_readings`);
    first every matched phrase in its best synonym, then each phrase's second synonym in
    turn; and, after them, a thing the patient has as its status and its presence, and last
    the condition a question describes, as the term its description defines (one more, apart
    from the cap: `Reading.described`). Empty when the start names no situation, nothing in
    the text has a synonym and it describes nothing. A denial of the intent to die is read
    first, in every reading (`_no_intent_read`)."""
    denial = _no_intent_read(text)
    if denial is None:
        return _readings(text, table)
    read = [replace(r, replacements=denial.replacements + r.replacements)
            for r in _readings(denial.text, table)]
    if any(r.situation for r in read):
        return read
    return [denial] + read[:MAX_READINGS - 1]


def _no_intent_read(text: str) -> Reading | None:
    """"I never wanted to die" read as "without suicidal intent" (`_NO_INTENT_TO_DIE`)."""
    denied = _NO_INTENT_TO_DIE.search(text)
    if denied is None:
        return None
    replacement = Replacement(denied.group("said"), WITHOUT_SUICIDAL_INTENT,
                              NO_INTENT_TO_DIE_SOURCE)
    read = text[:denied.start()] + WITHOUT_SUICIDAL_INTENT + text[denied.end():]
    return Reading(" ".join(read.split()), (replacement,))


def _readings(text: str, table: SynonymTable) -> list[Reading]:
    """`readings_of`, less the reading of a denial of the intent to die."""
    situation = _situation(text) or _relatives_history(text, table) \
        or _family_condition(text, table)
    situations = [situation] if situation is not None else _refusal_readings(text)
    if not situations:
        pregnancy = pregnancy_reading(text)
        status = _status_readings(text)
        done = [] if status else \
            _done_readings(text, table) or _replacement_readings(text, table)
        status = [_after_procedure_read(r, table) for r in status + done]
        read = ([pregnancy] if pregnancy is not None else []) \
            + _not_relatives_had(_synonym_readings(text, table), done) + status
        described = _described_reading(text, table)
        if described is None or described.text in {r.text for r in read}:
            return read
        return read + [described]
    first = situations[0]
    read = situations + [Reading(r.text, first.replacements + r.replacements, True, r.by_index)
                         for r in _synonym_readings(first.text, table)]
    return read[:MAX_READINGS]


def pregnancy_reading(text: str) -> Reading | None:
    """"G2P1 at 24 wks w/ varicose veins of legs" read as "pregnancy complicated by at 24 wks
    w/ varicose veins of legs", searched only where the Alphabetic Index has the entry
    (`Reading.by_index`); None where nothing says the patient is pregnant (to become pregnant
    is not to be), or nothing is left beside the words that say so."""
    if _BECOMING_PREGNANT.search(text):
        return None
    said = [m.group(0) for m in _PREGNANT.finditer(text)]
    rest = _PREGNANT.sub(" ", text)
    if not said:
        said = [m.group(0) for m in _GESTATIONAL_AGE.finditer(text)]
    if not said or not condition_words(rest):
        return None
    replacements = tuple(Replacement(s.strip(), PREGNANCY_READING, PREGNANCY_SOURCE) for s in said)
    left = _LEFT_PUNCTUATION.sub(r"\1", " ".join(rest.split())).lstrip(" ,;:")
    read = f"{PREGNANCY_READING} {left}"
    return Reading(read, replacements, by_index=True)


def says_pregnant(text: str) -> bool:
    """Whether the text says the patient is pregnant (not that she wishes to become so)."""
    return bool(_PREGNANT.search(text)) and not _BECOMING_PREGNANT.search(text)


def is_pregnancy_reading(reading: Reading) -> bool:
    return any(r.read_as == PREGNANCY_READING for r in reading.replacements)


def _refusal_readings(text: str) -> list[Reading]:
    """"pt refused flu shot" read as "pt flu shot not carried out because of patient refusal"
    and as "... because of patient's decision"."""
    cue = next((m for m in (p.match(text) for p in _REFUSALS) if m is not None), None)
    if cue is None:
        return []
    refused = text[cue.end():].strip()
    return [Reading(f"{text[:cue.start(1)]}{refused} {read_as}",
                    (Replacement(text[cue.start(1):cue.end(1)], read_as, source),),
                    situation=True)
            for read_as, source in REFUSAL_READINGS]


def _described_reading(text: str, table: SynonymTable) -> Reading | None:
    """A question that describes a condition, read as the term whose description it
    matches best ("droopy right eyelid" as "ptosis right eyelid", HPO's "Drooping upper
    eyelid"), keeping the words the code's characters carry (side, encounter) and the body
    parts it names; none where the question already names the term."""
    tokens = word_spans(text)
    condition = [t for t in tokens if is_content(t.group(0))]
    forms = frozenset(condition_form(t.group(0).replace("'", "")) for t in condition)
    found = table.gloss_index.described(forms, negates(text))
    # a term placed on the other part is not what was described ("upper back" pain is no
    # "Lower back pain")
    gloss = next((d.gloss for d in found if not places_otherwise(text, d.gloss.term)), None)
    if gloss is None:
        return None
    term_forms = {condition_form(w) for w in phrase_key(gloss.term).split()}
    if term_forms <= forms:
        return None
    body = table.body_words
    kept = [t.group(0) for t in tokens
            if t.group(0).lower() in SIDE_WORDS | ENCOUNTER_WORDS
            or (t in condition and set(lookup_words(t.group(0))) & body)]
    said = text[condition[0].start():condition[-1].end()]
    replacement = Replacement(said, gloss.term.lower(),
                              f"{gloss.source}: '{gloss.description}'")
    return Reading(" ".join([gloss.term.lower(), *kept]), (replacement,), described=True)


def _situation(text: str) -> Reading | None:
    """"on warfarin" read as "long-term use of warfarin", "hx of DVT" as "personal history
    of DVT", "here for chemo" as "encounter for chemo"; "had COVID last year" as "personal
    history of COVID" (`_past_condition`)."""
    for pattern, read_as, source in _SITUATIONS:
        cue = pattern.match(text)
        if cue is not None:
            reading = _cue_read(text, cue, read_as, source)
            return _less_over(reading) if read_as == PERSONAL_HISTORY_READING else reading
    return _past_condition(text)


def history_named(reading: Reading) -> tuple[str, str] | None:
    """(main term, condition) of a history, personal or family, that the reading's start
    names: a situation read so ("hx of DVT"), or the Index's own words ("family history of
    colon cancer"); None for any other reading."""
    if reading.situation and reading.replacements:
        main = reading.replacements[0].read_as
        if main in (PERSONAL_HISTORY_READING, FAMILY_HISTORY_READING):
            return main, reading.text.split(main, 1)[-1].strip()
        return None
    named = _NAMED_HISTORY.match(reading.text)
    if named is None:
        return None
    return " ".join(named.group(1).lower().split()), reading.text[named.end():].strip()


def _relatives_history(text: str, table: SynonymTable) -> Reading | None:
    """"dad and brother both had heart attacks" read as "family history of heart attacks":
    each word before the verb (less "my", "his" ...) a relative, as the synonym table reads
    "dad had" and "brother had" (`RELATIVE_VERBS`, relatives as WordNet names them)."""
    cue = _RELATIVES_HAD.match(text)
    if cue is None:
        return None
    names = _RELATIVES_APART.split(cue.group("who"))
    if len(names) == 1 and not cue.group("all") and cue.group("verb").lower() in RELATIVE_VERBS:
        return None  # the synonym table's "mom had"
    for named in names:
        words = [w for w in phrase_words(named) if w not in _RELATIVE_OWNERS]
        if len(words) != 1 or not _is_relative(words[0], table):
            return None
    said = text[cue.start("who"):cue.end()].strip()
    replacement = Replacement(said, FAMILY_HISTORY_READING, RELATIVE_SOURCE)
    return Reading(text[:cue.start("who")] + FAMILY_HISTORY_READING + " " + text[cue.end():],
                   (replacement,), situation=True)


def _family_condition(text: str, table: SynonymTable) -> Reading | None:
    """"my dad was an alcoholic" read as "family history of alcoholic", "dad died of a heart
    attack" as "family history of a heart attack" (`_RELATIVE_CONDITION`), "diabetes runs in
    my family" as "family history of diabetes" (`_RUNS_IN_FAMILY`)."""
    runs = _RUNS_IN_FAMILY.match(text)
    if runs is not None:
        replacement = Replacement(runs.group("runs"), FAMILY_HISTORY_READING,
                                  RUNS_IN_FAMILY_SOURCE)
        read = f"{FAMILY_HISTORY_READING} {runs.group('condition')} {text[runs.end():]}"
        return Reading(" ".join(read.split()), (replacement,), situation=True)
    cue = _RELATIVE_CONDITION.match(text)
    if cue is None or not _is_relative(cue.group("relative"), table):
        return None
    replacement = Replacement(cue.group("who"), FAMILY_HISTORY_READING, RELATIVE_SOURCE)
    return Reading(f"{FAMILY_HISTORY_READING} {text[cue.end():]}".strip(), (replacement,),
                   situation=True)


def _is_relative(word: str, table: SynonymTable) -> bool:
    """A word the synonym table reads, with "had", as a family history ("mom had")."""
    options = table.phrases.get(phrase_key(f"{word} {RELATIVE_VERBS[0]}"), [])
    return any(read_as == FAMILY_HISTORY_READING for read_as, _ in options)


def _past_condition(text: str) -> Reading | None:
    """"had COVID last year, fully recovered" read as "personal history of COVID": the
    patient had it, and the question says it is over; none where it does not say so ("had
    chest pain this morning")."""
    had = _HAD.match(text)
    if had is None or not _over_phrases(text[had.end():]):
        return None
    return _less_over(_cue_read(text, had, PERSONAL_HISTORY_READING, PAST_CONDITION_SOURCE))


def _over_phrases(text: str) -> list[re.Match[str]]:
    """The phrases that say a condition is over (`_OVER_WHEN`, `_OVER_CLAUSE`,
    `_QUIT_CLAUSE`), in order."""
    found = [*_OVER_WHEN.finditer(text), *_OVER_CLAUSE.finditer(text),
             *_QUIT_CLAUSE.finditer(text)]
    return sorted(found, key=lambda m: m.start())


def _less_over(reading: Reading) -> Reading:
    """A personal history reading less the phrases that say the condition is over: they
    are why it is a history, and name no part of the condition the Index looks up."""
    over = _over_phrases(reading.text)
    if not over:
        return reading
    text, at = [], 0
    for phrase in over:
        text.append(reading.text[at:phrase.start()])
        at = phrase.end()
    text.append(reading.text[at:])
    said = tuple(Replacement(p.group(0).strip(" ,"), "", PAST_CONDITION_SOURCE) for p in over)
    return replace(reading, text=" ".join("".join(text).split()).strip(" ,"),
                   replacements=reading.replacements + said)


def less_when(text: str, when_words: AbstractSet[str],
              time_nouns: AbstractSet[str] = frozenset()) -> tuple[str, tuple[str, ...]]:
    """The text less the words that only say when, how often or how much, and those words
    as written: those the code sets and the Alphabetic Index never write
    (`SynonymTable.when_words`: "smokes pot on the weekends" is "smokes pot"), and a noun of
    time after a word that points to a time (`SynonymTable.time_nouns`: "dizzy spells every
    morning" is "dizzy spells"; not "morning sickness"), each with the words before it that
    belong to it ("on the", "since last"); the text as it is where nothing else would be
    left."""
    spans = word_spans(text)
    said = [span.group(0).lower() for span in spans]
    weeks = [m.span() for m in GESTATION_WEEKS.finditer(text)]
    cut: list[tuple[int, int]] = []
    for i, span in enumerate(spans):
        first = _when_starts(said, i, when_words, time_nouns)
        if first is None or any(a <= span.start() < b for a, b in weeks):
            continue  # "10 weeks along": a pregnancy's weeks, coded (Z3A)
        while first > 0 and said[first - 1] in _BEFORE_WHEN:
            first -= 1
        cut.append((spans[first].start(), span.end()))
    if not cut:
        return text, ()
    kept, at = [], 0
    for start, end in cut:
        kept.append(text[at:start])
        at = end
    kept.append(text[at:])
    left = _LEFT_PUNCTUATION.sub(r"\1", " ".join("".join(kept).split())).strip(" ,;")
    if not any(c.isalnum() for c in left):
        return text, ()
    return left, tuple(text[start:end] for start, end in cut)


def _when_starts(said: list[str], i: int, when_words: AbstractSet[str],
                 time_nouns: AbstractSet[str]) -> int | None:
    """Where the phrase that says when and ends at word i begins; None where word i ends
    none."""
    if _is_in(said[i], when_words):
        # before an article or a possessive it places a finding ("along the spine")
        return i if i + 1 == len(said) or said[i + 1] not in _DETERMINERS else None
    if not _is_in(said[i], time_nouns):
        return None
    before = i - 1
    if before > 0 and said[before] == _THE and said[before - 1] in _TIME_POINTERS:
        before -= 1  # "all the time"
    return before if before >= 0 and said[before] in _TIME_POINTERS else None


def _is_in(word: str, words: AbstractSet[str]) -> bool:
    """The word or its singular is one of `words` ("weekends"; "always" is no plural)."""
    return word in words or set(phrase_words(word)) <= words


def _status_readings(text: str) -> list[Reading]:
    """"has a colostomy" read as "status colostomy" and as "presence of colostomy", each to
    be searched only where the Alphabetic Index has an entry for it; what "s/p" names, also
    where it has none (`Reading.after_procedure`)."""
    cue = _STATUS.match(text)
    if cue is None:
        return []
    after = _AFTER_PROCEDURE.fullmatch(cue.group(1)) is not None
    return [replace(_cue_read(text, cue, read_as, source, by_index=not after),
                    after_procedure=after)
            for read_as, source in STATUS_READINGS]


def _done_readings(text: str, table: SynonymTable) -> list[Reading]:
    """"I had heart bypass surgery years ago" read as "status heart bypass surgery years" and
    as "presence of heart bypass surgery years"; "had my gallbladder removed" as "acquired
    absence of gallbladder" and as "status gallbladder" (`_DONE`); each searched even where
    the Index has no entry for it (`Reading.after_procedure`)."""
    done = _DONE.search(text)
    if done is None or _FURTHER.search(text[:done.start()]) \
            or _FURTHER.search(text[done.end():]):
        return []
    if done.group("done") and not _names_part(text[done.start("what"):done.start("done")], table):
        return []
    removed = (done.group("done") or "").lower() == "removed"
    what = done.group("named") or \
        text[done.start("what"):done.start("done") if removed else done.end()]
    after, _ = less_when(what + text[done.end():], table.when, table.times)
    said = " ".join(text[done.start():done.end()].split()) if removed else \
        text[done.start():done.start("named" if done.group("cue") else "what")].strip()
    options = (ABSENCE_READING, STATUS_READINGS[0]) if removed else STATUS_READINGS
    source = DONE_SOURCE if done.group("had") else STATUS_READINGS[0][1]
    return [Reading(" ".join(f"{read_as} {after}".split()).strip(" .?!"),
                    (Replacement(said, read_as, source if read_as == "status" else why),),
                    situation=True, after_procedure=True)
            for read_as, why in options]


def _replacement_readings(text: str, table: SynonymTable) -> list[Reading]:
    """"left knee replacement" read as "status left knee replacement" and as "presence of
    left knee replacement" (`_REPLACEMENT`), each searched even where the Index has no entry
    for it (`Reading.after_procedure`)."""
    asked = _REPLACEMENT.match(text)
    if asked is None or not _names_part(asked.group("part"), table):
        return []
    return [Reading(f"{read_as} {text.strip().rstrip('.?!').strip()}",
                    (Replacement(asked.group("noun"), read_as,
                                 REPLACEMENT_SOURCE if read_as == "status" else why),),
                    situation=True, after_procedure=True)
            for read_as, why in STATUS_READINGS]


def _names_part(words: str, table: SynonymTable) -> bool:
    """Whether a word of these is a body part WordNet names (its forms: "ovaries", "ovary",
    "ovar")."""
    for word in re.findall(r"[a-z]+", words.lower()):
        for _ in range(_PART_FORMS):
            word = word_form(word)
            if word in table.site_words:
                return True
    return False


def _after_procedure_read(reading: Reading, table: SynonymTable) -> Reading:
    """A status after a procedure with its words read as the code sets' words ("status bilat
    TKA" as "status bilateral total knee arthroplasty"), where the synonym table reads them
    for certain (no acronym's sense, no word only the Index may confirm); else as it is."""
    if not reading.after_procedure:
        return reading
    read = next(iter(_synonym_readings(reading.text, table)), None)
    if read is None or read.by_index or read.text == reading.text:
        return reading
    return replace(reading, text=read.text,
                   replacements=reading.replacements + read.replacements)


def _not_relatives_had(readings: list[Reading], done: list[Reading]) -> list[Reading]:
    """The readings less a relative's "had" read as a family history ("my mother had" in
    "my mother had her left hip replaced") where that "had" says a procedure was done to
    them: the relative is the patient, as the one a procedure was done to."""
    if not any(r.replacements[0].said.lower().startswith("had") for r in done):
        return readings
    return [r for r in readings
            if not any(x.read_as == FAMILY_HISTORY_READING for x in r.replacements)]


def read_clipped(reading: Reading, terms: IndexTermTable) -> Reading:
    """A situation reading that the Alphabetic Index finds only with its clipped words
    written out ("status trach" as "status tracheostomy": `index_lookup.unclipped`), read
    so; else the reading as it is."""
    if not reading.situation or not reading.replacements or index_matches(reading.text, terms):
        return reading
    main = reading.replacements[0].read_as
    cue = set(phrase_words(main))
    full = unclipped([w for w in phrase_words(reading.text) if w not in cue], main, terms)
    if not full:
        return reading
    text = reading.text
    for word, written in full.items():
        text = re.sub(rf"\b{re.escape(word)}\b", written, text, flags=re.I)
    if not index_matches(text, terms):
        return reading
    added = tuple(Replacement(word, written, CLIPPED_SOURCE) for word, written in full.items())
    return replace(reading, text=text, replacements=reading.replacements + added)


def _cue_read(text: str, cue: re.Match[str], read_as: str, source: str,
              by_index: bool = False) -> Reading:
    """The situation reading of a question whose start names it: the cue's words (group 1)
    read as the Index's main term for it."""
    replacement = Replacement(text[cue.start(1):cue.end(1)], read_as, source)
    rest = text[cue.end(1):]
    return Reading(f"{text[:cue.start(1)]}{read_as} {rest.lstrip()}", (replacement,),
                   situation=True, by_index=by_index)


def _synonym_readings(text: str, table: SynonymTable) -> list[Reading]:
    """Every matched phrase in its best synonym, then a word read as the Index words it or
    an acronym read as one of its several senses (apart, so that an unconfirmed one never
    holds back the rest: "NSSI" is read in "w/ NSSI, denies SI" whichever sense "SI" has),
    then each phrase's further synonyms in turn."""
    spans = _matched_spans(text, table)
    if not spans:
        return []
    shared = [span for span in spans
              if not _index_only(text, span, table) and not _senses_only(text, span, table)]
    best = [(start, end, options[0]) for start, end, options in shared]
    readings = [_apply(text, best)] if best else []
    for start, end, options in spans:
        if (start, end, options) not in shared:
            readings += [_apply(text, sorted(best + [(start, end, option)]))
                         for option in options]
    for i, (start, end, options) in enumerate(shared):
        for option in options[1:]:
            readings.append(_apply(text, best[:i] + [(start, end, option)] + best[i + 1:]))
    return [replace(r, by_index=any(_is_sense(x, table) or _is_index_word(x, table)
                                    for x in r.replacements))
            for r in readings[:MAX_READINGS]]


def _index_only(text: str, span: _Span, table: SynonymTable) -> bool:
    """A phrase read only as the Alphabetic Index words it (`SynonymTable.index_words`)."""
    start, end, options = span
    return _index_options(text[start:end], table) is options


def _senses_only(text: str, span: _Span, table: SynonymTable) -> bool:
    """A phrase read only as an acronym's several senses (`SynonymTable.senses`)."""
    start, end, options = span
    said = text[start:end]
    return all(_is_sense(Replacement(said, read_as, source), table) for read_as, source in options)


def _is_index_word(replacement: Replacement, table: SynonymTable) -> bool:
    """A word read as the Alphabetic Index words it ("blurry" as "blurred")."""
    options = _index_options(replacement.said, table) or []
    return replacement.read_as in [read_as for read_as, _ in options]


def _index_options(word: str, table: SynonymTable) -> list[_Option] | None:
    """The Index words a word is read as, itself or as the verb of its regular past
    participle ("twisted" as "twist")."""
    for key in [phrase_key(word), *regular_bases(word.lower())]:
        if key in table.index_words:
            return table.index_words[key]
    return None


def _is_sense(replacement: Replacement, table: SynonymTable) -> bool:
    """An acronym (or its plural, "PEs") read as one of its several senses."""
    said = replacement.said
    acronym = said[:-1] if said.endswith("s") and is_acronym(said[:-1]) else said
    return acronym not in table.acronyms and \
        replacement.read_as in [meaning for meaning, _ in table.senses.get(acronym, [])]


def _matched_spans(text: str, table: SynonymTable) -> list[_Span]:
    """(start, end, [(read as, source)]) of each phrase that has a synonym, longest first."""
    tokens = word_spans(text)
    shorthand = {m.start(): m for m in _WITH_SHORTHAND.finditer(text)}
    # An all-capitals question of several words is shouted, not abbreviated ("ALL" is "all").
    acronyms_allowed = any(ch.islower() for ch in text) or len(tokens) <= 2
    spans: list[_Span] = []
    i = 0
    while i < len(tokens):
        with_cue = shorthand.get(tokens[i].start())
        if with_cue is not None:
            spans.append(_with_span(text, with_cue))
            i += 2 if with_cue.group("without") else 1  # "w/o" is two words, "w" and "o"
            continue
        clipped = _clipped_options(text, tokens, i, table)
        if clipped:
            spans.append((tokens[i].start(), tokens[i + 1].end(), clipped))
            i += 2
            continue
        described = _described_span(tokens, i, table)
        if described:
            span, i = described
            spans.append(span)
            continue
        part_verb = _part_verb_options(tokens, i, table)
        if part_verb:
            spans.append((tokens[i].start(), tokens[i].end(), part_verb))
            i += 1
            continue
        side = _letter_options(text, tokens, i, table) if acronyms_allowed else None
        if side:
            spans.append((tokens[i].start(), tokens[i].end(), side))
            i += 1
            continue
        for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
            group = tokens[i:i + n]
            options = _lookup([t.group(0) for t in group], table, acronyms_allowed)
            if options:
                spans.append((group[0].start(), group[-1].end(), options))
                i += n
                break
        else:
            i += 1
    return spans


def _part_verb_options(tokens: list[re.Match[str]], i: int,
                       table: SynonymTable) -> list[_Option] | None:
    """A verb right after the body part it tells of ("my knee hurts", "my eyes hurt") read
    as its -ing form is ("hurting": pain), not as the noun it also is ("hurt": injury)."""
    if i == 0 or not set(lookup_words(tokens[i - 1].group(0))) & table.body_words:
        return None
    word = tokens[i].group(0).lower()
    verb = word[:-1] if word.endswith("s") and len(word) > MIN_VERB_S_FORM else word
    return table.phrases.get(phrase_key(ing_form(verb)))


def _with_span(text: str, cue: re.Match[str]) -> _Span:
    """"w/" read as "with", "w/o" as "without" (a space kept before a word written on,
    "w/hyperglycemia")."""
    read_as = "without" if cue.group("without") else "with"
    if text[cue.end():cue.end() + 1].isalnum():
        read_as += " "
    return cue.start(), cue.end(), [(read_as, WITH_SHORTHAND_SOURCE)]


def _letter_options(text: str, tokens: list[re.Match[str]], i: int,
                    table: SynonymTable) -> list[_Option] | None:
    """A one-letter abbreviation's reading ("L" as "left"), where the letter is written as
    a capital word of its own with a word after it ("L TMJ pain"), never at the end ("vitamin
    L") nor joined to the next ("R/O")."""
    word = tokens[i].group(0)
    if not is_letter(word) or i + 1 == len(tokens):
        return None
    if text[tokens[i].end():tokens[i + 1].start()].strip():
        return None
    return table.acronyms.get(word)


def _described_span(tokens: list[re.Match[str]], i: int,
                    table: SynonymTable) -> tuple[_Span, int] | None:
    """A word and the adjective a verb links to it, read as the adjective before the word
    ("lips are turning blue" as "blue lips", "skin is yellow" as "yellow skin", "eye is
    always watery" as "watery eye"), where the table holds that phrase; with the index of
    the token after it."""
    after = i + 1
    for verbs in (_LINKING_VERBS, _BECOMING_VERBS):
        if after < len(tokens) and tokens[after].group(0).lower() in verbs:
            after += 1
    if after == i + 1:
        return None
    while after < len(tokens) and tokens[after].group(0).lower() in _DEGREE_WORDS:
        after += 1
    if after == len(tokens):
        return None
    options = table.phrases.get(phrase_key(f"{tokens[after].group(0)} {tokens[i].group(0)}"))
    if not options:
        return None
    return (tokens[i].start(), tokens[after].end(), options), after + 1


def _clipped_options(text: str, tokens: list[re.Match[str]], i: int,
                     table: SynonymTable) -> list[_Option] | None:
    """A letter joined by a hyphen to the start of a word, as clinicians clip a two-word
    name ("V-tach", "A-fib"), read as the acronym whose meaning it spells: the letter begins
    the first word and the clipped word begins the second ("VT": "ventricular tachycardia",
    never the list's other "vest therapy"; "AFIB" as written joined)."""
    letter = tokens[i].group(0)
    if len(letter) != 1 or not letter.isalpha() or i + 1 == len(tokens):
        return None
    clipped = tokens[i + 1].group(0).lower()
    if text[tokens[i].end():tokens[i + 1].start()] != "-" or len(clipped) < MIN_CLIPPED \
            or not clipped.isalpha():
        return None
    keys = ((letter + clipped).upper(), (letter + clipped[0]).upper())
    options = [o for key in keys for o in table.acronyms.get(key, []) + table.senses.get(key, [])]
    spelled = [o for o in options if _spells_clipped(o[0], letter, clipped)]
    return list(dict.fromkeys(spelled)) or None


def _spells_clipped(meaning: str, letter: str, clipped: str) -> bool:
    """Two words, the first beginning with the letter and the second with the clipped word,
    of which it is only the start (a "x-ray" is no clipping)."""
    words = [w.lower() for w in initial_words(meaning)]
    return len(words) == 2 and words[0][0] == letter.lower() \
        and words[1].startswith(clipped) and len(words[1]) > len(clipped)


def _lookup(words: list[str], table: SynonymTable,
            acronyms_allowed: bool) -> list[_Option] | None:
    if len(words) == 1 and is_acronym(words[0]):
        if not acronyms_allowed:
            return None
        return _acronym_options(words[0], table) or _numbered_options(words[0], table)
    if len(words) == 1 and words[0].lower() in ORDINALS:
        return [(ORDINALS[words[0].lower()], ORDINAL_SOURCE)]
    if len(words) == 1 and words[0].endswith("s") and is_acronym(words[0][:-1]):
        # a plural acronym ("PVCs") reads as the acronym does
        return _acronym_options(words[0][:-1], table) if acronyms_allowed else None
    keys = [phrase_key(" ".join(words)),
            phrase_key(" ".join(table.bases.get(w.lower(), w) for w in words))]
    if len(words) > 1:
        keys.append(phrase_key("".join(words)))  # "pink eye" -> "pinkeye"
    else:
        keys += _split_keys(words[0])  # "tailbone" -> "tail bone"
        keys += regular_bases(words[0].lower())
    for key in keys:
        if key in table.phrases:
            return table.phrases[key]
    if len(words) == 1:
        return _index_options(words[0], table) or _clipped_side_options(words[0])
    return None


def _clipped_side_options(word: str) -> list[_Option] | None:
    """A side word clipped as clinicians write it ("bilat" as "bilateral"): the start, of
    MIN_CLIPPED_WORD letters or more, of one side word the code titles use (`SIDE_WORDS`)."""
    clipped = word.lower()
    if len(clipped) < MIN_CLIPPED_WORD or not clipped.isalpha():
        return None
    begun = [side for side in sorted(SIDE_WORDS)
             if side.startswith(clipped) and len(side) > len(clipped)]
    return [(begun[0], CLIPPED_SIDE_SOURCE)] if len(begun) == 1 else None


def _numbered_options(word: str, table: SynonymTable) -> list[_Option] | None:
    """An acronym with a number written on ("DM2"), that the lists hold only without it:
    the acronym's reading, then the number ("diabetes mellitus 2")."""
    numbered = _NUMBERED.fullmatch(word)
    if numbered is None:
        return None
    options = table.acronyms.get(numbered.group(1))
    return [(f"{meaning} {numbered.group(2)}", source) for meaning, source in options] \
        if options else None


def _acronym_options(acronym: str, table: SynonymTable) -> list[_Option] | None:
    """Its reading, or else each of its several senses (see `Reading.by_index`)."""
    return table.acronyms.get(acronym) or table.senses.get(acronym)


def _split_keys(word: str) -> list[str]:
    """A compound written as one word, as two: each split of it (`text.two_parts`):
    "tailbone" -> "tail bone", WordNet's "tail_bone"."""
    return [phrase_key(f"{first} {second}") for first, second in two_parts(word)]


def _apply(text: str, choices: list[tuple[int, int, _Option]]) -> Reading:
    out: list[str] = []
    replacements: list[Replacement] = []
    at = 0
    for start, end, (read_as, source) in choices:
        out.append(text[at:start])
        out.append(read_as)
        replacements.append(Replacement(text[start:end], read_as, source))
        at = end
    out.append(text[at:])
    read = "".join(out)
    if any(not r.read_as for r in replacements):  # words read as nothing leave no gap
        read = " ".join(read.split())
    return Reading(read, tuple(replacements))


def foreign_body_reading(text: str, terms: IndexTermTable, body_words: frozenset[str],
                         actions: Callable[[], frozenset[str]]) -> Reading | None:
    """A thing the question puts in a body opening read as a foreign body there, as a coder
    looks it up ("kid stuck a bead up his nose" as "foreign body in his nose": "Foreign
    body, entering through orifice, nose"); None where what is put there names an entry of
    its own ("pain in my eye"), a part of the body (`body_words`: "dry eyes in both eyes",
    "earwax blockage in the right ear") or nothing but how it was done ("punched in the
    nose", "got hit in the eye": `_names_a_thing`), where the part is none that entry lists,
    or where the question as asked names an entry. A thing taken in, with no part named, is
    read so too (`_taken_in`: "toddler swallowed a coin" as "swallowed foreign body")."""
    into = _INTO_PART.search(text)
    if into is None:
        return _taken_in(text, terms, body_words, actions)
    thing = text[:into.start()].strip()
    if not _names_a_thing(thing, actions) or _names_a_part(thing, body_words) \
            or index_matches(thing, terms):
        return None
    entries = [m.term.entry for m in index_matches(f"{FOREIGN_BODY_ENTRY} {into.group('part')}",
                                                   terms, main=FOREIGN_BODY_MAIN)]
    entries = [e for e in entries if e.startswith(FOREIGN_BODY_ENTRY + ", ")]
    if not entries or index_matches(text, terms):
        return None
    source = "a thing in a body opening as a foreign body (ICD-10-CM Alphabetic Index: " \
        f"{entries[0]})"
    replacement = Replacement(text[:into.start("part")].strip(), FOREIGN_BODY_READING, source)
    return Reading(FOREIGN_BODY_READING + " " + text[into.start("part"):], (replacement,))


def _names_a_thing(thing: str, actions: Callable[[], frozenset[str]]) -> bool:
    """Whether the words before the part name a thing: a word that is no verb of being or
    becoming ("got"), no pronoun, no regular past form ("punched") and none of the
    `actions()`, the words the external causes say how it happened with and name no thing
    entering an opening with ("hit", "kick"; not "bead")."""
    words = [w.lower() for w in phrase_words(thing)]
    words = [w for w in words if w not in _NOT_A_THING and not regular_bases(w)]
    return any(not set(lookup_words(w)) <= actions() for w in words)


def _names_a_part(text: str, body_words: frozenset[str]) -> bool:
    """Whether a word of the text, or a part of one written as one ("earwax"), names a part
    of the body."""
    words = phrase_words(text)
    parts = [part for w in words for split in two_parts(w) for part in split]
    return any(set(lookup_words(w)) & body_words for w in words + parts)



def _taken_in(text: str, terms: IndexTermTable, body_words: frozenset[str],
              actions: Callable[[], frozenset[str]]) -> Reading | None:
    """The question's word of taking in (`takes_in`: "swallowed") and the thing after it
    read as that word's foreign body ("toddler swallowed a coin" as "swallowed foreign
    body": "Swallowed, swallowing, foreign body"), where the thing names no entry, no
    substance of the Table of Drugs (`_names_substance`) and no part of the body."""
    spans = word_spans(text)
    at = next((i for i, span in enumerate(spans)
               if any(takes_in(w, terms) for w in lookup_words(span.group(0)))), None)
    if at is None or at + 1 == len(spans):
        return None
    verb = spans[at].group(0)
    thing = text[spans[at + 1].start():]
    if not _names_a_thing(thing, actions) or _names_a_part(thing, body_words) \
            or any(w in terms.by_main for w in entry_words(thing)) or index_matches(text, terms):
        return None
    read_as = f"{verb} {FOREIGN_BODY}"
    found = index_matches(read_as, terms)
    if not found:
        return None
    source = "a thing taken in as a foreign body (ICD-10-CM Alphabetic Index: " \
        f"{found[0].term.entry})"
    return Reading(read_as, (Replacement(text, read_as, source),))
