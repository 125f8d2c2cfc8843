"""Whether two named ICD-10-CM codes are coded together, as their instructional notes say.

"Can J45.909 and J69.8 be billed together?", "does E11.22 need N18.4 with it?" are answered
by the notes of each code (stated at the code or at any heading above it) that name the
other, by code, by a category ("J45.-") or by a range ("J60-J70"), and by what the tabular's
introduction says each kind of note means. Nothing else is claimed: when no note names the
other code, the answer says only that the notes neither keep the two apart nor pair them.
"""

from __future__ import annotations

import re
from itertools import combinations

from assistant.answer.citations import AnswerBuilder
from assistant.records import CodeRecord, Note, NoteKind

# The notes that say whether two codes go together, in the order an answer lists them.
TOGETHER_KINDS = (NoteKind.EXCLUDES1, NoteKind.CODE_FIRST, NoteKind.USE_ADDITIONAL_CODE,
                  NoteKind.CODE_ALSO, NoteKind.EXCLUDES2)
PAIRING = (NoteKind.CODE_FIRST, NoteKind.USE_ADDITIONAL_CODE, NoteKind.CODE_ALSO)
_LABELS = {NoteKind.EXCLUDES1: "Excludes1", NoteKind.EXCLUDES2: "Excludes2",
           NoteKind.CODE_FIRST: "Code first", NoteKind.USE_ADDITIONAL_CODE: "Use additional code",
           NoteKind.CODE_ALSO: "Code also"}
_CODE = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?"
# A range ("P04-P96", "N18.1-N18.4") or one code, category or subcategory ("J69.8", "J45.-",
# "T59.81-"): a trailing dash names everything under it, as a plain prefix does.
_REFERENCE = re.compile(rf"\b(?P<low>{_CODE})\s*-\s*(?P<high>{_CODE})\b|\b(?P<one>{_CODE})")

# (the record whose note it is, the note, the other code it names)
Naming = tuple[CodeRecord, Note, str]


def heading_words(code: str) -> str:
    """"category F02", "subcategory F02.8", "block I10-I1A", "chapter 11"."""
    if code.isdigit():
        return f"chapter {code}"
    if "-" in code:
        return f"block {code}"
    return f"category {code}" if len(code.replace(".", "")) == 3 else f"subcategory {code}"


def names_code(note_text: str, code: str) -> bool:
    """Whether a note's code references take in `code` (J45.909 is under "J45.-" and in
    "J44-J47"; J45.909 is not under "J45.2-")."""
    plain = code.replace(".", "")
    for match in _REFERENCE.finditer(note_text):
        if match["one"]:
            if plain.startswith(match["one"].replace(".", "")):
                return True
            continue
        low, high = match["low"].replace(".", ""), match["high"].replace(".", "")
        if low <= plain[:len(low)] and plain[:len(high)] <= high:
            return True
    return False


def together_sentences(notes_of: dict[str, tuple[CodeRecord, list[Note]]],
                       conventions: dict[str, str], builder: AnswerBuilder) -> None:
    """`notes_of`: each named ICD-10-CM code -> (its record, every note that applies to it,
    its headings' included). For each pair: the verdict, the notes of either that name the
    other, and then what the tabular says each kind of note named means."""
    named_kinds: dict[NoteKind, CodeRecord] = {}
    for first, second in combinations(notes_of, 2):
        naming = _naming(notes_of, first, second) + _naming(notes_of, second, first)
        naming.sort(key=lambda item: TOGETHER_KINDS.index(item[1].kind))
        _verdict(first, second, naming, notes_of, builder)
        for record, note, other in naming:
            where = ("" if note.stated_at == record.code
                     else f", stated at {heading_words(note.stated_at)},")
            builder.say(f"{record.code}'s {_LABELS[note.kind]} note{where} names {other}: "
                        f"{note.text} [{builder.cite_note(record, note)}].")
            named_kinds.setdefault(note.kind, record)
    said: set[str] = set()
    for kind, record in sorted(named_kinds.items(), key=lambda k: TOGETHER_KINDS.index(k[0])):
        meaning = conventions.get(kind.value)
        if meaning and meaning not in said:
            said.add(meaning)
            n = builder.cite(record, "conventions", kind.value, meaning,
                             source=conventions.get("source"))
            article = "an" if _LABELS[kind].startswith("E") else "a"
            builder.say(f"What the tabular says {article} {_LABELS[kind]} note means: {meaning} "
                        f"[{n}]")


def _verdict(first: str, second: str, naming: list[Naming],
             notes_of: dict[str, tuple[CodeRecord, list[Note]]], builder: AnswerBuilder) -> None:
    kinds = {note.kind for _, note, _ in naming}
    if NoteKind.EXCLUDES1 in kinds:
        builder.say(f"By their notes, {first} and {second} are not coded together.")
    elif kinds & set(PAIRING):
        leading = _sequenced_first(naming)
        order = f", {leading} first" if leading else ""
        builder.say(f"By their notes, when both apply {first} and {second} are coded "
                    f"together{order}.")
    elif kinds:
        builder.say(f"By their notes, {first} and {second} may be coded together when the "
                    f"patient has both.")
    else:
        cited = " ".join(f"[{builder.cite_title(notes_of[code][0])}]"
                         for code in (first, second))
        builder.say(f"No excludes, code first, use additional code or code also note of {first} "
                    f"or {second}, at the code or at any heading above it, names the other "
                    f"{cited}: their notes neither keep them apart nor pair them.")


def _sequenced_first(naming: list[Naming]) -> str | None:
    """A code first note sends the code it names first; a use additional code note keeps its
    own code first. Code also leaves the order open."""
    for record, note, other in naming:
        if note.kind == NoteKind.CODE_FIRST:
            return other
        if note.kind == NoteKind.USE_ADDITIONAL_CODE:
            return record.code
    return None


def _naming(notes_of: dict[str, tuple[CodeRecord, list[Note]]], code: str,
            other: str) -> list[Naming]:
    """The notes that apply to `code`, of the kinds that pair or part codes, and name `other`."""
    record, notes = notes_of[code]
    return [(record, note, other) for note in notes
            if note.kind in TOGETHER_KINDS and names_code(note.text, other)]
