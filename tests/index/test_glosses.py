"""The reverse dictionary: a question that describes a condition, found by its description."""

from __future__ import annotations

from assistant.corpus.hpo import DEFINITION, SYNONYM, HpoDescription, read_descriptions
from assistant.corpus.wordnet import WordNet
from assistant.index.glosses import GlossIndex, content_forms, word_form
from assistant.index.synonyms import build_synonym_table

# WordNet 3.0's glosses, as the data files give them.
PHOTOPHOBIA = "pain in the eye resulting from exposure to bright light"
ACROPHOBIA = "a morbid fear of great heights"
PTOSIS = "drooping of the upper eyelid caused by muscle paralysis and weakness"
GLOSSES = [("photophobia", PHOTOPHOBIA, "WordNet 3.0"), ("acrophobia", ACROPHOBIA, "WordNet 3.0"),
           ("ptosis", PTOSIS, "WordNet 3.0")]


def test_word_forms_of_one_word_are_one_form():
    assert {word_form(w) for w in ("droopy", "drooping", "droops", "droop")} == {"droop"}
    assert {word_form(w) for w in ("twitching", "twitches", "twitch")} == {"twitch"}
    assert word_form("flashes") == word_form("flash")
    assert word_form("eyes") == word_form("eye")
    assert word_form("hurts") == word_form("hurt")


def test_side_encounter_and_filler_words_are_no_part_of_the_condition():
    assert content_forms("she keeps getting pain in both eyes, initial encounter") == \
        {word_form("pain"), word_form("eyes")}
    # an aside in parentheses is no part of the description
    assert "albinism" not in content_forms(PHOTOPHOBIA + " (often associated with albinism)")


def test_a_description_in_other_words_finds_the_term_it_describes():
    found = GlossIndex(GLOSSES).described(content_forms("bright light hurts both eyes"))
    assert found and found[0].gloss.term == "photophobia"
    found = GlossIndex(GLOSSES).described(content_forms("a great fear of heights"))
    assert found and found[0].gloss.term == "acrophobia"


def test_one_shared_word_or_a_small_part_of_a_description_is_no_match():
    index = GlossIndex(GLOSSES)
    assert not index.described(content_forms("pain in the eye"))  # half its weight or less
    assert not index.described(content_forms("muscle weakness"))  # two of seven words
    assert not index.described(content_forms("heights"))


def test_only_terms_the_code_sets_or_the_index_name_are_kept():
    photopsia = HpoDescription("Photopsia", "Perceived flashes of light", DEFINITION)
    named = build_synonym_table([("ICD-10-CM H53.19", "Photopsia")], WordNet(),
                                hpo_version="v1", descriptions=[photopsia])
    assert named.glosses == [("Photopsia", "Perceived flashes of light",
                              "HPO v1 definition of Photopsia")]
    in_index = build_synonym_table([], WordNet(), hpo_version="v1", descriptions=[photopsia],
                                   index_paths=[("Photopsia",)])
    assert in_index.glosses == named.glosses
    unnamed = build_synonym_table([("ICD-10-CM H53.19", "Other subjective visual disturbances")],
                                  WordNet(), hpo_version="v1", descriptions=[photopsia])
    assert unnamed.glosses == []


def test_the_glosses_survive_a_save_and_load(tmp_path):
    from assistant.index.synonyms import SynonymTable

    table = SynonymTable(glosses=GLOSSES)
    table.save(tmp_path / "synonyms.json")
    assert SynonymTable.load(tmp_path / "synonyms.json").glosses == GLOSSES


PTOSIS_DEFINITION = ("The upper eyelid margin is positioned 3 mm or more lower than usual and "
                     "covers the superior portion of the iris (objective); or, the upper lid "
                     "margin obscures at least part of the pupil (subjective)")


def test_hpo_terms_are_read_with_every_synonym_and_their_definitions_first_sentence(tmp_path):
    # HP:0000508 and HP:0030786 as hp.obo gives them (the xrefs left out); an obsolete
    # term gives nothing
    obo = tmp_path / "hp.obo"
    obo.write_text(f"""format-version: 1.2
data-version: hp/releases/2025-01-16

[Term]
id: HP:0000508
name: Ptosis
def: "{PTOSIS_DEFINITION}." [PMID:19125427]
synonym: "Drooping upper eyelid" EXACT layperson [https://orcid.org/0000-0001-5208-3432]
synonym: "Eye drop" RELATED layperson []

[Term]
id: HP:0030786
name: Photopsia
def: "Perceived flashes of light." [https://orcid.org/0000-0002-0736-9199, PMID:10506812]

[Term]
id: HP:0000001
name: Gone
is_obsolete: true
def: "Obsolete. Not read." []
""")
    version, found = read_descriptions(obo)
    assert version == "2025-01-16"
    assert found == [
        HpoDescription("Ptosis", PTOSIS_DEFINITION, DEFINITION),
        HpoDescription("Ptosis", "Drooping upper eyelid", SYNONYM),
        HpoDescription("Ptosis", "Eye drop", SYNONYM),
        HpoDescription("Photopsia", "Perceived flashes of light", DEFINITION)]


def test_a_description_the_code_sets_use_themselves_is_not_kept():
    # HPO's "Dry eyes" (Keratoconjunctivitis sicca): "Dry eye syndrome" finds H04.12 as asked
    dry = HpoDescription("Keratoconjunctivitis sicca", "Dry eyes", SYNONYM)
    table = build_synonym_table([("ICD-10-CM H04.12", "Dry eye syndrome"),
                                 ("ICD-10-CM H16.22", "Keratoconjunctivitis sicca, not "
                                                      "specified as Sjogren's")],
                                WordNet(), hpo_version="v1", descriptions=[dry])
    assert table.glosses == []


def test_a_word_ending_in_ss_is_no_plural():
    assert {word_form(w) for w in ("pass", "passes", "passing", "passed")} == {"pass"}
    assert word_form("loss") == word_form("losses") == "loss"


# HPO's synonym of Fasciculations and its definition of Dyspareunia, as hp.obo gives them.
TWITCH = ("Fasciculations", "Muscle twitch", "HPO synonym of Fasciculations")
DYSPAREUNIA = ("Dyspareunia", "Recurrent or persistent genital pain associated with sexual "
               "intercourse", "HPO definition of Dyspareunia")


TREMOR = ("Tremor", "An unintentional, oscillating to-and-fro muscle movement about a joint axis",
          "HPO definition of Tremor")
# WordNet 3.0 relates "sex" and "sexual" by derivation ('+')
SEX = {"sex": ["sexual"], "sexual": ["sex"]}


def test_a_word_is_matched_by_the_words_of_its_family():
    asked = content_forms("recurrent genital pain with sex")
    index = GlossIndex(GLOSSES + [DYSPAREUNIA, TWITCH], SEX)
    found = index.described(asked)
    assert found and found[0].gloss.term == "Dyspareunia"
    assert word_form("sex") in found[0].shared
    # without the family, "sexual intercourse" is half the description unasked
    assert not GlossIndex(GLOSSES + [DYSPAREUNIA, TWITCH]).described(asked)


def test_a_body_part_the_description_does_not_name_does_not_count_against_it():
    asked = content_forms("muscle twitching in both calves")
    glosses = GLOSSES + [TWITCH, TREMOR]
    assert not GlossIndex(glosses).described(asked)  # "calves" is a rare word
    found = GlossIndex(glosses, sites=[word_form("calves")]).described(asked)
    assert found and found[0].gloss.term == "Fasciculations"
    # a description of another site is not about this one (HPO's synonym of Mandibular pain)
    jaw = ("Mandibular pain", "Lower jaw pain", "HPO synonym of Mandibular pain")
    belly = content_forms("pain in the lower right side of the belly")
    sites = [word_form("belly"), word_form("side"), "jaw", "lower jaw"]
    assert not GlossIndex(glosses + [jaw], sites=sites).described(belly)
    # a site is no condition: a site and one shared word are still no match
    assert not GlossIndex(glosses, sites=["calv"]).described(content_forms("calves twitching"))


def test_a_description_that_says_a_condition_is_absent_matches_only_a_question_that_does():
    # HPO's synonym of Obstipation
    none = GlossIndex([("Obstipation", "No gas passage", "HPO synonym of Obstipation")],
                      {"pass": ["passag"], "passag": ["pass"]})
    assert not none.described(content_forms("passing gas"))
    assert none.described(content_forms("passing gas"), negated=True)


def test_the_table_keeps_the_families_and_sites_the_descriptions_need():
    # WordNet 3.0: "sex" and "sexual" are related by '+'; "calf, sura" and "big toe" are
    # body parts, the plural "calves" is in noun.exc
    wordnet = WordNet(exceptions={"calves": "calf"}, body_parts=("big toe", "calf", "sura"),
                      derivations=(("sex", "sexual"), ("shake", "shaker")))
    table = build_synonym_table([("ICD-10-CM N94.1", "Dyspareunia")], wordnet,
                                hpo_version="v1",
                                descriptions=[HpoDescription(*DYSPAREUNIA[:2], DEFINITION)])
    assert table.related == {"sex": ["sexual"], "sexual": ["sex"]}  # no description says "shake"
    assert {"calf", word_form("calves"), "sura", "big toe"} <= set(table.sites)


def test_a_match_on_the_site_alone_is_no_match():
    # HPO's synonym of Hallux rigidus: the big toe is the site, arthritis the condition
    rigidus = ("Hallux rigidus", "Arthritis of the big toe", "HPO synonym of Hallux rigidus")
    asked = content_forms("pain in the left big toe")
    assert GlossIndex(GLOSSES + [rigidus]).described(asked)
    assert not GlossIndex(GLOSSES + [rigidus], sites=["big toe", "toe"]).described(asked)


def test_every_word_of_impaired_ability_is_one_form():
    # HPO 2025-01-16's synonyms of Impotence and of Dysphagia
    index = GlossIndex([("Impotence", "Difficulty getting an erection", "HPO synonym of Impotence"),
                        ("Dysphagia", "Difficulty swallowing", "HPO synonym of Dysphagia")])
    found = index.described(content_forms("can't get an erection"), negated=True)
    assert found and found[0].gloss.term == "Impotence"
    found = index.described(content_forms("trouble swallowing"))
    assert found and found[0].gloss.term == "Dysphagia"
    # the ability's own word is still asked
    assert not index.described(content_forms("can't get a cold"), negated=True)
