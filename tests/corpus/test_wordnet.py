"""The WordNet 3.0 reader: only synsets about the body and its states, read from the files."""

from __future__ import annotations

from assistant.corpus import wordnet


def synsets_with(lemma: str) -> list[wordnet.Synset]:
    return [s for s in wordnet.load_wordnet().synsets if lemma in s.lemmas]


def test_a_condition_and_its_everyday_name_share_a_synset():
    [pinkeye] = synsets_with("pinkeye")
    assert pinkeye.lexname == "noun.state" and "conjunctivitis" in pinkeye.lemmas


def test_only_states_of_health_are_kept():
    # "urgency" is a noun.state in WordNet, but not one of health.
    assert synsets_with("urgency") == []
    # "break" as a jailbreak or a pause is not kept; as a broken bone it is.
    kept = synsets_with("break")
    assert any("fracture" in s.lemmas for s in kept)
    assert not any({"jailbreak", "pause"} & set(s.lemmas) for s in kept)
    assert all(s.lexname in wordnet.KEPT_LEXNAMES for s in kept)


def test_an_adjective_stands_for_the_condition_it_names():
    [nearsighted] = synsets_with("nearsighted")
    assert "myopia" in nearsighted.names and "myopia" not in nearsighted.lemmas


def test_acronyms_keep_their_capitals():
    assert any("myocardial infarction" in s.lemmas for s in synsets_with("MI"))


def test_a_part_of_a_condition_is_recorded():
    [heart_attack] = synsets_with("heart attack")
    parts = [s for s in wordnet.load_wordnet().synsets if s.key in heart_attack.parts]
    assert any("myocardial infarction" in s.lemmas for s in parts)


def test_irregular_forms_have_their_base():
    assert wordnet.load_wordnet().exceptions["broken"] == "break"


def test_a_verbs_irregular_past_forms_lead_to_the_verb():
    forms = wordnet.load_wordnet().past_forms
    assert forms["bit"] == "bite" and forms["stung"] == "sting"
    # only the verbs' forms: "teeth" is a noun's plural, and an -ing form is no past one
    assert "teeth" not in forms and not any(form.endswith("ing") for form in forms)


def test_a_words_primary_sense_is_its_most_common_one():
    senses = wordnet.load_wordnet().primary_senses
    assert senses["mouse"] == "noun.animal"
    assert senses["conjunctivitis"] == "noun.state"


def test_body_adjectives_pair_with_every_name_of_the_part():
    pairs = set(wordnet.load_wordnet().body_adjectives)
    assert ("nasal", "nose") in pairs
    assert ("renal", "kidney") in pairs
    assert ("carpal", "wrist") in pairs


def test_relatives_are_blood_relatives_named_by_their_first_sense():
    relatives = set(wordnet.load_wordnet().relatives)
    assert {"mom", "mother", "dad", "sister", "brother", "grandmother", "aunt"} <= relatives
    # a spouse, a step-parent, a child or a person's name is no family history of the patient
    assert not {"wife", "husband", "stepmother", "child", "son", "mary"} & relatives


def test_a_bodily_verb_and_its_ing_form_have_the_nouns_of_its_act():
    acts = wordnet.load_wordnet().act_nouns
    # "pee" is "urinate, micturate" (verb.body), whose nouns are "urination, micturition";
    # "urine", what is passed, is no name of the act.
    verb, nouns = acts["peeing"]
    assert verb == "pee" and {"micturition", "urination"} <= set(nouns)
    assert "urine" not in nouns
    assert acts["urinating"][0] == "urinate" and "urination" in acts["urinating"][1]
    assert acts["throwing up"][0] == "throw up" and "vomiting" in acts["throwing up"][1]
    # "burp, belch, eruct": "eruct" gives "eructation", a noun of acts and states only
    assert "eructation" in acts["burp"][1] and "eructation" in acts["burping"][1]


def test_a_verb_or_noun_with_a_sense_outside_the_body_is_not_read_as_an_act():
    acts = wordnet.load_wordnet().act_nouns
    # "cast" and "chuck" also mean to vomit, but first of all to throw; "sick" is an adjective
    assert not {"cast", "casting", "chuck", "chucking", "sick"} & set(acts)
    # "vomit" is also what is vomited: only "vomiting" is read as the act
    assert "vomit" not in acts and "vomiting" in acts
    # "wind" (a fart) is first of all moving air
    assert "flatus" in acts["breaking wind"][1] and "wind" not in acts["breaking wind"][1]


def test_only_the_bodys_own_acts_are_read():
    acts = wordnet.load_wordnet().act_nouns
    # "waking up" is WordNet's "awakening", a change of state, not a bodily process
    assert "waking up" not in acts
    # "vaccinate" is done to the body: "immunization" is a protection, not the body's act
    assert "immunization" not in acts.get("vaccinating", ("", ()))[1]
    assert "crying" in acts["weeping"][1] and "breathing" in acts["respiring"][1]


def test_a_bodily_verb_records_the_lemmas_that_are_first_of_all_the_noun_of_what_it_does():
    # "twist, sprain, wrench, turn, wrick, rick" (verb.body) derives the noun "sprain", the
    # only sense of "sprain"; "injure, wound" derives nouns of "wound" that are not its most
    # common sense (an injury to living tissue), so it names no noun
    [twist] = [s for s in synsets_with("twist") if "sprain" in s.lemmas]
    assert "sprain" in twist.nouns and "twist" not in twist.nouns
    [injure] = [s for s in synsets_with("injure") if s.lexname == "verb.body"]
    assert injure.nouns == ()


def test_a_words_family_by_derivation_is_recorded_as_one_word_pairs():
    pairs = set(wordnet.load_wordnet().derivations)
    assert {("sex", "sexual"), ("pass", "passage"), ("muscle", "muscular")} <= pairs
    assert all(" " not in one + other for one, other in pairs)


def test_a_verb_has_the_nouns_of_its_act_its_own_lemma_derives():
    nouns = wordnet.load_wordnet().verb_nouns
    assert "sucking" in nouns["suck"] and "concentration" in nouns["concentrate"]
    # not who does it ("walker", "loser": noun.person) nor a thing ("sensor")
    assert "walker" not in nouns.get("walk", ())
    assert "loser" not in nouns.get("lose", ()) and "sensor" not in nouns["sense"]
    assert all(verb.isalpha() and all(n.isalpha() for n in found)
               for verb, found in nouns.items())


def test_body_parts_are_the_parts_not_what_the_body_holds():
    parts = set(wordnet.load_wordnet().body_parts)
    assert {"calf", "big toe", "eyelid", "muscle"} <= parts
    assert not {"blood", "blood clot"} & parts


def test_a_person_is_a_kind_of_each_person_above_it_by_its_first_sense():
    kinds = set(wordnet.load_wordnet().person_kinds)
    assert {("mom", "mother"), ("mother", "mother"), ("preemie", "newborn"),
            ("neonate", "newborn")} <= kinds
    # a baby may be older than a newborn: no newborn by kind
    assert ("baby", "newborn") not in kinds and ("baby", "infant") in kinds


def test_an_adjective_pertains_to_the_person_it_is_of():
    adjectives = set(wordnet.load_wordnet().person_adjectives)
    assert {("maternal", "mother"), ("neonatal", "newborn")} <= adjectives


def test_when_words_are_those_whose_commonest_sense_says_when_how_often_or_how_much():
    when = set(wordnet.load_wordnet().when_words)
    # adverbs ("lately", "always") and nouns of time ("weekend", "tomorrow")
    assert {"lately", "always", "currently", "just", "weekend", "tomorrow"} <= when
    # a word whose commonest sense is another: "right" an attribute, "pot" a container,
    # "unemployed" an adjective, "face" a body part
    assert not {"right", "pot", "unemployed", "face", "flushing"} & when
    # an adverb that is also a noun of another kind names a place or a part: "here for a
    # checkup", "back pain"
    assert not {"here", "there", "back"} & when


def test_time_nouns_are_those_whose_commonest_sense_is_a_noun_of_time():
    times = set(wordnet.load_wordnet().time_nouns)
    assert {"morning", "night", "week", "weekend"} <= times
    assert not {"sickness", "sweat", "pain", "here"} & times


def test_surgeries_are_the_one_word_names_of_surgical_procedures():
    surgeries = set(wordnet.load_wordnet().surgeries)
    assert {"arthroplasty", "mastectomy", "appendectomy", "angioplasty"} <= surgeries
    # a procedure of no surgery, and no act at all
    assert not {"vaccination", "injection", "hip", "surgery"} & surgeries


def test_injections_are_the_act_of_injecting_and_the_doses_named_as_one():
    shots = set(wordnet.load_wordnet().injections)
    # "injection, shot: the act of putting a liquid into the body by means of a syringe",
    # its kinds, and "booster, booster dose, booster shot, recall dose" (a medicine)
    assert {"injection", "shot", "intramuscular injection", "booster", "booster shot"} <= shots
    # a shot that is no injection: "mug shot" (a photograph), "jump shot" (basketball)
    assert not {"mug shot", "mugshot", "jump shot", "shot glass"} & shots
