"""Whether two named ICD-10-CM codes are coded together, as their excludes notes say.

"Can J45.909 and J69.8 be billed together?" is answered by the excludes notes of each code
(stated at the code or at any heading above it) that name the other, by code, by a category
("J45.-") or by a range ("J60-J70"), and by what the tabular says an Excludes1 and an
Excludes2 note mean. Nothing else is claimed: notes that name neither code leave the
question to the coder's other rules, and the answer says only that no excludes note keeps
them apart.
"""

from __future__ import annotations

import re
from itertools import combinations

from assistant.answer.citations import AnswerBuilder
from assistant.records import CodeRecord, Note, NoteKind

EXCLUDES = (NoteKind.EXCLUDES1, NoteKind.EXCLUDES2)
_LABELS = {NoteKind.EXCLUDES1: "Excludes1", NoteKind.EXCLUDES2: "Excludes2"}
_CODE = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?"
# A range ("P04-P96", "N18.1-N18.4") or one code, category or subcategory ("J69.8", "J45.-",
# "T59.81-"): a trailing dash names everything under it, as a plain prefix does.
_REFERENCE = re.compile(rf"\b(?P<low>{_CODE})\s*-\s*(?P<high>{_CODE})\b|\b(?P<one>{_CODE})")


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
    its headings' included). For each pair: whether an excludes note keeps them apart, the
    notes of either that name the other, and then what the tabular says each kind of note
    that was named means."""
    named_kinds: dict[NoteKind, CodeRecord] = {}
    for first, second in combinations(notes_of, 2):
        naming = _naming(notes_of, first, second) + _naming(notes_of, second, first)
        naming.sort(key=lambda item: EXCLUDES.index(item[1].kind))
        kinds = [note.kind for _, note, _ in naming]
        if NoteKind.EXCLUDES1 in kinds:
            builder.say(f"By their excludes notes, {first} and {second} are not coded together.")
        elif kinds:
            builder.say(f"By their excludes notes, {first} and {second} may be coded together "
                        f"when the patient has both.")
        else:
            cited = " ".join(f"[{builder.cite_title(notes_of[code][0])}]"
                             for code in (first, second))
            builder.say(f"No excludes note of {first} or {second}, at the code or at any "
                        f"heading above it, names the other {cited}: their excludes notes do "
                        f"not keep them apart.")
        for record, note, other in naming:
            where = ("" if note.stated_at == record.code
                     else f", stated at {heading_words(note.stated_at)},")
            builder.say(f"{record.code}'s {_LABELS[note.kind]} note{where} names {other}: "
                        f"{note.text} [{builder.cite_note(record, note)}].")
            named_kinds.setdefault(note.kind, record)
    for kind, record in sorted(named_kinds.items(), key=lambda item: EXCLUDES.index(item[0])):
        meaning = conventions.get(kind.value)
        if meaning:
            n = builder.cite(record, "conventions", kind.value, meaning,
                             source=conventions.get("source"))
            builder.say(f"What the tabular says an {_LABELS[kind]} note means: {meaning} [{n}]")


def _naming(notes_of: dict[str, tuple[CodeRecord, list[Note]]], code: str,
            other: str) -> list[tuple[CodeRecord, Note, str]]:
    """The excludes notes that apply to `code` and name `other`."""
    record, notes = notes_of[code]
    return [(record, note, other) for note in notes
            if note.kind in EXCLUDES and names_code(note.text, other)]
