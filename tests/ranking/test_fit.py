"""The tabular's own default child: an inclusion term "X NOS" where X is the code's title less
a detail (texts from the ICD-10-CM tabular)."""

from __future__ import annotations

from assistant.ranking.fit import (AskedWords, adds_unasked_qualifier, contradictions,
                                   default_preference, encounter_read,
                                   leaves_stated_detail_open, nos_term, says_nothing_more,
                                   tabular_default_term, unasked_details, word_match)
from assistant.records import CodeRecord, Note, NoteKind

_ETHANOL_NOS = Note(NoteKind.INCLUSION_TERM, "Toxic effect of ethanol NOS", "T51.0X1")


def _record(code: str, title: str, parent: str, notes: list[Note]) -> CodeRecord:
    return CodeRecord(system="ICD-10-CM", code=code, title=title, parent=parent, notes=notes)


def test_a_code_that_lists_its_title_less_a_detail_as_nos_is_the_tabular_default():
    accidental = _record("T51.0X1", "Toxic effect of ethanol, accidental (unintentional)",
                         "T51.0", [_ETHANOL_NOS])
    assert tabular_default_term(accidental) == "Toxic effect of ethanol NOS"


def test_a_seventh_character_code_takes_the_term_its_six_character_parent_states():
    initial = _record("T51.0X1A", "Toxic effect of ethanol, accidental (unintentional), "
                      "initial encounter", "T51.0X1", [_ETHANOL_NOS])
    assert tabular_default_term(initial) == "Toxic effect of ethanol NOS"


def test_a_code_without_such_a_term_of_its_own_is_no_default():
    assault = _record("T51.0X3", "Toxic effect of ethanol, assault", "T51.0", [])
    assert tabular_default_term(assault) is None


def test_a_term_that_only_shares_a_word_start_with_the_title_is_no_default():
    # R59.1 "Generalized enlarged lymph nodes" lists "Lymphadenopathy NOS": another name for
    # the condition, not its title less a detail ("lymph" is no "lymphadenopathy").
    generalized = _record("R59.1", "Generalized enlarged lymph nodes", "R59",
                          [Note(NoteKind.INCLUSION_TERM, "Lymphadenopathy NOS", "R59.1")])
    assert tabular_default_term(generalized) is None


def test_the_tabular_default_comes_after_the_question_words_and_before_the_shortest_title():
    asked = AskedWords.of("toxic effect of ethanol")
    accidental = default_preference(asked, "Toxic effect of ethanol, accidental "
                                    "(unintentional)", [], tabular_default=True)
    assault = default_preference(asked, "Toxic effect of ethanol, assault", [])
    assert accidental > assault
    # the question's own words still come first
    methanol_asked = AskedWords.of("toxic effect of methanol")
    methanol = default_preference(methanol_asked, "Toxic effect of methanol, assault", [])
    ethanol = default_preference(methanol_asked, "Toxic effect of ethanol, "
                                 "accidental (unintentional)", [], tabular_default=True)
    assert methanol > ethanol


def test_asked_words_measure_a_title_as_word_coverage_and_extra_words_do():
    kin = {"nose": ["nasal"]}
    asked = AskedWords.of("fracture of the nose, left side", kin)
    for title in ["Fracture of nasal bones", "Fracture of left wrist", "Nasal polyp", ""]:
        assert asked.coverage(title) == word_match(asked.text, title, kin).coverage
    # fracture, and nose by its kin word "nasal": two of the four content words
    assert asked.coverage("Fracture of nasal bones") == 0.5
    assert asked.coverage("Nasal polyp") == 0.25
    # "bones" is the one word the question lacks; a "without ..." clause adds none
    assert asked.extra_words("Fracture of nasal bones without displacement") == 1
    assert asked.extra_words("Fracture of nasal bones") == 1
    assert AskedWords.of(asked.text).extra_words("Fracture of nasal bones") == 2  # no kin


def test_a_question_with_more_than_the_nos_term_names_is_not_that_term():
    # ICD-10-CM S06.0XA lists "Concussion NOS"; a concussion said to be with loss of
    # consciousness is more than a concussion with nothing further said
    unknown = _record("S06.0XAA", "Concussion with loss of consciousness status unknown, "
                      "initial encounter", "S06.0XA",
                      [Note(NoteKind.INCLUSION_TERM, "Concussion NOS", "S06.0XA")])
    assert nos_term("concussion, initial encounter", unknown, None) == "Concussion NOS"
    assert nos_term("concussion with loss of consciousness", unknown, None) is None
    assert nos_term("concussion w/ loss of consciousness", unknown, None) is None


def test_an_encounter_named_in_other_words_is_told_as_the_titles_encounter():
    title = "Sprain of unspecified ligament of left ankle, subsequent encounter"
    assert encounter_read("sprained left ankle, follow-up visit", title) == (
        "follow-up", "subsequent encounter")
    assert encounter_read("sprained left ankle, subsequent encounter", title) is None
    assert encounter_read("sprained left ankle", title) is None
    assert encounter_read("follow up for a sprained ankle",
                          "Sprain of ankle, initial encounter") is None


def test_a_later_visit_for_the_injury_is_the_subsequent_encounter():
    # ICD-10-CM Official Guidelines I.C.19.a: care "during the healing or recovery phase";
    # titles of S13.4XX-, S06.0X0-
    later = "Sprain of ligaments of cervical spine, subsequent encounter"
    first = "Sprain of ligaments of cervical spine, initial encounter"
    for question in ("whiplash, this is my second visit", "here for a recheck of his whiplash",
                     "whiplash, it's healing fine", "return visit for whiplash",
                     "whiplash, re-check"):
        assert contradictions(question, first) == 1, question
        assert contradictions(question, later) == 0, question
    assert encounter_read("here for a recheck of his concussion",
                          "Concussion without loss of consciousness, subsequent encounter") == (
        "recheck", "subsequent encounter")
    # a wound said not to heal is no course of healing; a first visit is no later one
    for question in ("whiplash, the wound is not healing", "non-healing wound",
                     "whiplash, first visit"):
        assert contradictions(question, first) == 0, question


def test_a_later_encounter_or_another_intent_is_a_detail_not_asked():
    from assistant.ranking.fit import unasked_details

    sequela = "Toxic effect of venom of black widow spider, accidental (unintentional), sequela"
    initial = "Toxic effect of venom of black widow spider, accidental (unintentional), " \
              "initial encounter"
    assault = "Toxic effect of venom of black widow spider, assault, initial encounter"
    assert unasked_details("black widow spider bite", sequela) == 1
    assert unasked_details("black widow spider bite, sequela", sequela) == 0
    assert unasked_details("black widow spider bite", initial) == 0
    # no intent said: accidental (guidelines I.C.19.e.5.b); another intent is a detail
    assert unasked_details("black widow spider bite", assault) == 1
    assert unasked_details("black widow spider bite in an assault", assault) == 0
    # a title's own "Sequelae of ..." or "Subsequent ... infarction" is no 7th character
    assert unasked_details("weakness after a stroke", "Sequelae of cerebral infarction") == 0
    assert unasked_details("heart attack", "Subsequent non-ST elevation (NSTEMI) myocardial "
                                           "infarction") == 0


# ICD-10-CM 2026 titles of siblings under one heading.
_RBBB_UNSPECIFIED = "Unspecified right bundle-branch block"
_RBBB_OTHER = "Other right bundle-branch block"
_AMD = "Nonexudative age-related macular degeneration, bilateral"


def test_not_specified_as_a_detail_says_nothing_more():
    assert says_nothing_more("Enterocolitis due to Clostridium difficile, not specified as "
                             "recurrent")
    assert not says_nothing_more("Enterocolitis due to Clostridium difficile, recurrent")


def test_an_unspecified_title_beside_a_sibling_with_the_detail_asked_leaves_it_open():
    # ICD-10-CM 2026 F32.9, F32.1 and F32.0
    mdd = "Major depressive disorder, single episode"
    siblings = [f"{mdd}, moderate", f"{mdd}, mild"]
    asked = AskedWords.of("major depressive disorder, single episode, moderate severity")
    assert leaves_stated_detail_open(asked, f"{mdd}, unspecified", siblings)
    # no severity said: the unspecified code leaves nothing asked open
    assert not leaves_stated_detail_open(AskedWords.of(mdd), f"{mdd}, unspecified", siblings)
    # a title that says nothing is unspecified leaves nothing open
    assert not leaves_stated_detail_open(asked, f"{mdd}, mild", siblings)


def test_what_a_title_is_unspecified_as_to_is_the_detail_it_leaves_open():
    # ICD-10-CM 2026 O42.92 beside O42.02 and O42.12 (under O42.9, O42.0 and O42.1)
    prom = "Full-term premature rupture of membranes"
    unspecified = (f"{prom}, unspecified as to length of time between rupture and onset of "
                   "labor")
    siblings = [f"{prom}, onset of labor within 24 hours of rupture",
                f"{prom}, onset of labor more than 24 hours following rupture"]
    asked = AskedWords.of(f"{prom.lower()}, onset of labor within 24 hours of rupture")
    assert leaves_stated_detail_open(asked, unspecified, siblings)
    # no time said: nothing asked is left open
    assert not leaves_stated_detail_open(AskedWords.of(prom.lower()), unspecified, siblings)


def test_the_accidental_intent_is_no_title_word_not_asked():
    # ICD-10-CM 2026 T58.01XA and T58.04XA: no intent asked, so the accidental code is the
    # one coded; "undetermined" is a detail the question did not give
    asked = AskedWords.of("toxic effect of carbon monoxide from motor vehicle exhaust")
    base = "Toxic effect of carbon monoxide from motor vehicle exhaust"
    assert asked.extra_words(f"{base}, accidental (unintentional), initial encounter") == \
        asked.extra_words(f"{base}, initial encounter")
    assert unasked_details(asked.text, f"{base}, undetermined, initial encounter") == 1


def test_a_detail_beside_a_sibling_not_specified_as_it_is_a_qualifier_not_asked():
    # ICD-10-CM 2026 K40.90 and K40.91: the sibling's "not specified as recurrent" names the
    # detail only to leave it open
    hernia = "Unilateral inguinal hernia, without obstruction or gangrene"
    siblings = [f"{hernia}, not specified as recurrent", f"{hernia}, recurrent"]
    asked = AskedWords.of("unilateral inguinal hernia without obstruction or gangrene")
    assert adds_unasked_qualifier(asked, siblings[1], siblings)
    assert not adds_unasked_qualifier(asked, siblings[0], siblings)
    recurrent = AskedWords.of("recurrent unilateral inguinal hernia")
    assert not adds_unasked_qualifier(recurrent, siblings[1], siblings)
    # and a question that states it is told otherwise by the sibling that leaves it open
    assert contradictions("recurrent unilateral inguinal hernia", siblings[0]) == 1
    assert contradictions("recurrent unilateral inguinal hernia", siblings[1]) == 0
    assert contradictions("unilateral inguinal hernia", siblings[0]) == 0
    # ICD-10-CM 2026 K25.9: "unspecified as" either of the details it names
    k25 = "Gastric ulcer, unspecified as acute or chronic, without hemorrhage or perforation"
    assert contradictions("chronic gastric ulcer", k25) == 1
    assert contradictions("gastric ulcer", k25) == 0


def test_a_title_that_adds_a_detail_beside_a_sibling_that_says_nothing_more_is_qualified():
    asked = AskedWords.of("right bundle branch block")
    siblings = [_RBBB_UNSPECIFIED, _RBBB_OTHER]
    assert adds_unasked_qualifier(asked, _RBBB_OTHER, siblings)
    assert not adds_unasked_qualifier(asked, _RBBB_UNSPECIFIED, siblings)
    stages = [f"{_AMD}, stage unspecified", f"{_AMD}, early dry stage"]
    # "dry" is the heading's own word (its inclusion term "Dry age-related macular
    # degeneration"), so the early dry stage holds no word asked that its sibling lacks
    heading = ["Dry age-related macular degeneration"]
    asked = AskedWords.of("dry macular degeneration, bilateral").less_held_by(heading)
    assert adds_unasked_qualifier(asked, stages[1], stages)
    assert not adds_unasked_qualifier(AskedWords.of("dry macular degeneration, bilateral"),
                                      stages[1], stages)
    # the question gives the stage: the child that states it is no qualifier not asked
    early = AskedWords.of("early dry macular degeneration, bilateral").less_held_by(heading)
    assert not adds_unasked_qualifier(early, stages[1], stages)


def test_siblings_that_leave_the_same_detail_unstated_do_not_qualify_each_other():
    # both leave the duration unspecified; they differ only in the encounter
    duration = "Concussion with loss of consciousness of unspecified duration"
    encounters = [f"{duration}, initial encounter", f"{duration}, subsequent encounter"]
    assert not adds_unasked_qualifier(AskedWords.of("concussion with loss of consciousness"),
                                      encounters[0], encounters)


def test_a_sibling_that_lacks_a_question_word_the_title_holds_does_not_qualify_it():
    walking = "Difficulty in walking, not elsewhere classified"
    siblings = [walking, "Unspecified abnormalities of gait and mobility"]
    assert not adds_unasked_qualifier(AskedWords.of("difficulty walking"), walking, siblings)


def test_words_a_heading_already_holds_do_not_count_towards_its_childrens_coverage():
    asked = AskedWords.of("dry macular degeneration")
    early = f"{_AMD}, early dry stage"
    assert asked.coverage(early) == 1.0
    less = asked.less_held_by(["Dry age-related macular degeneration"])
    assert less.coverage(early) == 0.0 and less.coverage(f"{_AMD}, stage unspecified") == 0.0


def test_a_qualifier_not_asked_comes_after_the_question_words_in_the_default():
    asked = AskedWords.of("right bundle branch block")
    other = default_preference(asked, _RBBB_OTHER, [], unasked_qualifier=True)
    unspecified = default_preference(asked, _RBBB_UNSPECIFIED, [])
    assert unspecified > other


def test_a_title_that_counts_another_number_of_what_the_question_counts_contradicts_it():
    one_rib = "Fracture of one rib, right side, initial encounter for closed fracture"
    assert contradictions("broke 3 ribs on the right side", one_rib) == 1
    assert contradictions("two ribs broken", "Fracture of one rib") == 1
    assert contradictions("fracture of one rib", one_rib) == 0
    assert contradictions("broke 3 ribs on the right side",
                          "Multiple fractures of ribs, right side") == 0
    # a title's digits measure, they do not count: 45 minutes is within "31 to 59 minutes"
    assert contradictions("concussion, LOC 45 minutes", "Concussion with loss of "
                          "consciousness of 31 minutes to 59 minutes") == 0


def test_a_title_that_states_as_so_what_the_question_says_is_not_contradicts_it():
    # ICD-10-CM 2026 titles of C90.0- and G40.90-
    question = "multiple myeloma, not in remission"
    assert contradictions(question, "Multiple myeloma in remission") == 1
    assert contradictions(question, "Multiple myeloma not having achieved remission") == 0
    assert contradictions("multiple myeloma in remission", "Multiple myeloma in remission") == 0
    intractable = "Epilepsy, unspecified, intractable, without status epilepticus"
    assert contradictions("epilepsy, not intractable", intractable) == 1
    assert contradictions("epilepsy, not intractable", "Epilepsy, unspecified, not "
                          "intractable, without status epilepticus") == 0


def test_a_verb_the_question_says_did_not_happen_is_not_so_in_a_title():
    # ICD-10-CM 2026 titles of S70.32-, T24.11-, S06.0X-
    blister = "Blister (nonthermal), left thigh, initial encounter"
    assert contradictions("burned my thigh, it's red but it didn't blister", blister) == 1
    assert contradictions("burned my thigh, it did not blister", blister) == 1
    assert contradictions("a blister on my left thigh", blister) == 0
    assert contradictions("it didn't blister", "Burn of first degree of left thigh, initial "
                          "encounter") == 0
    # a title that names the act as impaired says it does not happen either
    assert contradictions("my toddler doesn't walk yet", "Difficulty in walking, not "
                          "elsewhere classified") == 0
    assert contradictions("I don't hear well out of my left ear", "Unspecified hearing loss, "
                          "left ear") == 0
    assert contradictions("he doesn't sleep at night", "Sleep disorder, unspecified") == 0
    assert contradictions("I don't smoke", "Toxic effect of smoke, accidental "
                          "(unintentional), initial encounter") == 1
    # "can't" says an ability is impaired, itself the condition; a verb of no condition
    assert contradictions("I can't sleep", "Sleep disorder, unspecified") == 0
    assert contradictions("never had cancer", "Personal history of other malignant "
                          "neoplasm") == 0


def test_a_habit_the_question_says_goes_on_is_no_dependence_in_remission():
    # ICD-10-CM 2026 titles of F17.21-, F10.2-, C90.0-
    remission = "Nicotine dependence, cigarettes, in remission"
    for question in ("smoked for 30 years and I can't quit", "trying to quit smoking",
                     "hasn't quit cigarettes", "unable to stop drinking"):
        assert contradictions(question, remission) == 1, question
    assert contradictions("smoked for 30 years and I can't quit",
                          "Nicotine dependence, cigarettes, uncomplicated") == 0
    assert contradictions("can't stop drinking", "Multiple myeloma not having achieved "
                          "remission") == 0
    assert contradictions("quit smoking 5 years ago", remission) == 0


def test_a_title_that_places_it_on_the_other_part_contradicts_the_question():
    # real ICD-10-CM titles (M54.50, J06.9, R10.10, M79.62-)
    assert contradictions("pain in the upper back", "Low back pain, unspecified") == 1
    assert contradictions("lower respiratory infection",
                          "Acute upper respiratory infection, unspecified") == 1
    assert contradictions("pain in the lower abdomen",
                          "Upper abdominal pain, unspecified") == 1
    assert contradictions("pain in the upper back", "Dorsalgia, unspecified") == 0
    assert contradictions("pain in the upper arm", "Pain in right upper arm") == 0
    assert contradictions("upper and lower back pain", "Low back pain, unspecified") == 0
    assert contradictions("low vision, upper eyelid", "Low vision, right eye, category 1, "
                          "normal vision left eye") == 0  # "low" says where only before "back"


def test_what_the_question_says_is_absent_contradicts_a_with_that_states_it():
    # tabular titles (K29.21, N40.1, E11.65, S06.0X1A, Z11.3) and Index entries (K57.33, K40.30)
    assert contradictions("gastritis without bleeding", "Alcoholic gastritis with bleeding") == 1
    assert contradictions("enlarged prostate, no urinary symptoms",
                          "Benign prostatic hyperplasia with lower urinary tract symptoms") == 1
    # "complications" is the code sets' word for whatever a "with" names
    assert contradictions("type 2 diabetes without complications",
                          "Type 2 diabetes mellitus with hyperglycemia") == 1
    # an abbreviation absent may stand for the title's words
    assert contradictions("concussion without LOC", "Concussion with loss of consciousness of "
                          "30 minutes or less") == 1
    # what is absent runs on through a list; an Index entry's "with" is a level of its own
    assert contradictions("diverticulitis without perforation, abscess, or bleeding",
                          "Diverticulitis, intestine, large, with, bleeding") == 1
    assert contradictions("inguinal hernia, no obstruction or gangrene",
                          "Hernia, hernial, inguinal, with, obstruction") == 1
    # no symptoms says nothing against how the infections are transmitted
    assert contradictions("here to get tested for STDs, no symptoms", "Encounter for screening "
                          "for infections with a predominantly sexual mode of transmission") == 0
