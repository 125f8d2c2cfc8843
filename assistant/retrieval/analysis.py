"""Question analysis: codes, date of service, the field or note asked about, the kind of question."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from assistant.dates import date_problem, find_date, without_dates, without_days
from assistant.retrieval.hcpcs_questions import hcpcs_fields
from assistant.text import GRAVIDA_PARA, without_framing


class QuestionKind(StrEnum):
    FIND = "find_code"        # which code for X
    DESCRIBE = "describe"     # what is code Y
    STATUS = "status"         # is Y valid / billable / deleted
    FIELD = "field"           # what is Y's field F, or its notes
    HISTORY = "history"       # what happened to Y, and when


_ICD = re.compile(r"\b([A-Z][0-9][0-9A-Z])(?:\.([0-9A-Z]{1,4})|([0-9][0-9A-Z]{0,3}))?\b")
_ICD_DOTTED_ANY_CASE = re.compile(r"\b([A-Za-z][0-9][0-9A-Za-z])\.([0-9A-Za-z]{1,4})\b")
_CPT = re.compile(r"\b(\d{4}[0-9FTU])\b")
_HCPCS = re.compile(r"\b([A-V]\d{4})\b")
# A vitamin's name that has a code's shape ("vitamin B12"): a word, not a code asked about.
_VITAMIN_NAME = re.compile(r"\b(vitamins?\s+)([A-Z]\d+)\b", re.I)


# Record fields and notes, from the words coders use: (pattern, field, strong). A strong cue
# names the field ("global days", "modifier 50", "excludes2"); a weak one is a word that also
# describes a condition or a person ("bilateral knee osteoarthritis", "the care team"), so a
# status question that holds one stays a status question. Every cue that matches counts.
_FIELD_CUES: list[tuple[str, str, bool]] = [
    (r"global (period|days?|surgery|package)|post-?op(erative)? days", "Global Days", True),
    (r"\bglobal\b", "Global Days", False),
    (r"\bpc\s*/\s*tc\b|modifier[- ]?26\b|\b26 modifier|professional (component|portion)|"
     r"technical (component|portion)|professional.+technical", "PC/TC Indicator (26, TC)", True),
    (r"\btc\b", "PC/TC Indicator (26, TC)", False),
    (r"multiple (procedures?|surgery)|modifier[- ]?51\b|\b51 modifier", "Multiple Procedures (51)",
     True),
    (r"bilateral (surgery|rule|indicator|payment|adjustment|modifier|procedure|status)|"
     r"modifier[- ]?50\b|\b50 modifier", "Bilateral Surgery (50)", True),
    (r"\bbilateral\b|both sides", "Bilateral Surgery (50)", False),
    (r"physician supervision", "Physician Supervisions", True),
    (r"\bsupervision", "Physician Supervisions", False),
    (r"assistant(s)? (at )?surg(eon|ery)|assist(ant|ing)? surgeon|modifier[- ]?8[02]\b|"
     r"\b8[02] modifier", "Assistant Surgeon (80, 82)", True),
    (r"\bassistant\b|\bassist\b", "Assistant Surgeon (80, 82)", False),
    (r"co-?surg(eon|eons|ery)|modifier[- ]?62\b|\b62 modifier|two surgeons", "Co-Surgeons (62)",
     True),
    (r"team surg(ery|eons?)|modifier[- ]?66\b|\b66 modifier", "Team Surgery (66)", True),
    (r"\bteam\b", "Team Surgery (66)", False),
    (r"imaging family|diagnostic imaging", "Diagnostic Imaging Family", True),
    (r"\bapc\b|status indicator\b(?! code)|\bopps\b", "APC Status Indicator", True),
    (r"betos|berenson", "Berenson-Eggers TOS (BETOS)", True),
    (r"type of service|\btos\b", "Type of Service (TOS)", True),
    (r"\bmues?\b|medically unlikely|unit limit|max(imum)? units", "MUE", True),
    (r"\bccs\b|clinical classification", "CCS Clinical Classification", True),
    (r"short (descr|descriptor|description)", "Short Descr", True),
    (r"medium (descr|descriptor|description)", "Medium Descr", True),
    (r"long (descr|descriptor|description)|full (descriptor|description)", "Long Descr", True),
    (r"status code|status indicator code", "Status Code", True),
    (r"exclu(des|sion|de)s?\s*-?\s*(1|one|i)\b|exclude1", "excludes1", True),
    (r"exclu(des|sion|de)s?\s*-?\s*(2|two|ii)\b|exclude2", "excludes2", True),
    (r"\bcode[- ]first\b|\bsequenc(e|ed|ing)\b|\bcoded? (before|ahead)\b|"
     r"\bunderlying (condition|disease|cause|etiology)|\betiology\b|\bcomes? first\b|"
     r"\bfirst[- ]listed\b|\bcode (the )?(primary|principal)", "code_first", True),
    (r"\buse[- ]additional\b|\badditional codes?\b|\bsecondary codes?\b|\badd(-on)? codes?\b",
     "use_additional_code", True),
    # Codes reported together, whichever note says so (code first, use additional, code also).
    (r"\bwhat (else )?(goes|go|do i code|should i code|must i code|to code) with\b|"
     r"\b(what|anything|something) else\b.{0,30}\b(cod(e|es|ed|ing)|(add|report|assign|bill)"
     r"(s|ed|ing)?|go|goes|need)\b|\b(cod(e|es|ed|ing)|(add|report|assign|bill)(s|ed|ing)?)\b"
     r".{0,20}\b(anything|something) else\b|"
     r"\bcodes? (that )?(go|goes|to go|to use|to add) (with|along)|\bpair(ed|s)? with\b|"
     r"\bcoded (together )?with\b|"
     # "must I also code", "should we also report": a further code, whichever note says so.
     r"\balso (need to |have to )?(code|report|assign|add)\b", "paired_codes", True),
    (r"\bcode[- ]also\b", "code_also", True),
    (r"inclusion terms?|\bsynonyms?\b|other names|also called|also known", "inclusion_term", True),
    (r"\bincludes notes?\b|\bincludes\b|\bwhat (does it|is) included\b", "includes", True),
    (r"(7th|seventh) (character|char|digit)|7th-character|encounter (letter|character)",
     "seven_chr_def", True),
    (r"\bindicat(ions?|ed)\b|when is it (used|done)|why (is it )?(done|performed)", "indications",
     True),
    (r"\bpost-?procedure\b|after the procedure|follow-?up care", "post_procedure", True),
    (r"\brecovery\b|\baftercare\b", "post_procedure", False),
    (r"how is (it|this) (done|performed)|procedure steps|what happens during", "procedure", True),
]
_FIELD_PATTERNS = [(re.compile(p, re.I), name, strong) for p, name, strong in _FIELD_CUES]
_BARE_EXCLUDES = re.compile(r"\bexclu(des?|sions?)\b(?!\s*-?\s*(1|2|one|two|i|ii)\b)|"
                            r"\bcan('|no)?t (be )?(code|report|bill|use)d? (it )?(with|together)|"
                            r"\bnot (be )?coded (with|together)", re.I)
# A code-shaped word, for readings that need two codes named ("can X and Y be billed together").
_CODE_WORD = r"\b(?:[A-Za-z]\d[0-9A-Za-z](?:\.[0-9A-Za-z]{1,4})?|\d{4}[0-9FTU]|[A-Va-v]\d{4})\b"
_TOGETHER = (r"(together|at the same time|on the same (claim|encounter|visit|day|date))")
# Whether two codes may be reported together is what the excludes notes say: a word that asks
# leave ("can", "allowed") and two codes, named together or one with the other.
_LEAVE = re.compile(r"\b(can|could|may|allowed|permitted|ok|okay|acceptable|fine|billable|"
                    r"reportable)\b", re.I)
_REPORTING = re.compile(r"\b(cod(e|ed|ing)|report(ed|ing)?|bill(ed|ing)?|use[ds]?|add(ed|ing)?|"
                        r"need(s|ed)?|go(es)?|sequenc(e|ed|ing)|pair(ed)?|assign(ed)?|"
                        r"submit(ted)?)\b", re.I)
_TWO_CODES_TOGETHER = re.compile(
    rf"{_CODE_WORD}\s*(,|and|&|\+|or)\s*(code\s+)?{_CODE_WORD}.*\b{_TOGETHER}\b|"
    rf"{_CODE_WORD}.*\b(with|alongside|along with|together with|in addition to|on top of|plus)"
    rf"\s+(code\s+)?{_CODE_WORD}|"
    rf"{_CODE_WORD}\s+(need|needs|require|requires)\s+(code\s+)?{_CODE_WORD}", re.I)
# Another code reported with this one, asked without naming a note: "another/extra code"
# beside a word of reporting together, "what should be added", "add a code", "in addition to".
_MORE_CODES = re.compile(r"\b(extra|another|other|more|second|further|separate)\s+(\w+\s+)?"
                         r"codes?\b", re.I)
# "another code instead of E87.2", "a more specific code": a code in its place, not beside it.
_INSTEAD = re.compile(r"\b(instead|rather|replace[sd]?|replacement|specific|specificity)\b", re.I)
_WITH_IT = re.compile(r"\b(with|alongside|along|together|in addition|on top of|as well|also|"
                      r"add|added|adding|need|needs|needed|require|requires|required)\b", re.I)
_ADDED = re.compile(
    r"\b(what|which|anything|something)\b[^.?!]{0,40}\badd(s|ed|ing)?\b(?!-)|"
    r"\badd(s|ed|ing)?\s+(an?\s+|any\s+|the\s+|some\s+)?(\w+\s+)?codes?\b|"
    r"\b(be|get|gets|got)\s+added\s+(to|with|alongside|for)\b|"
    r"\b(alongside|along with|together with|in addition to|on top of|as well as)\b.{0,40}"
    r"\b(code|report|bill|assign|add)(s|ed|ing)?\b|"
    r"\b(code|report|bill|assign|add)(s|ed|ing)?\b.{0,40}"
    r"\b(alongside|along with|in addition to|on top of|as well as)\b", re.I)
_ALL_NOTES = re.compile(r"\b(notes?|instructions?|instructional notes?|coding guidance|"
                        r"conventions?)\b|"
                        r"\btabular\b.{0,30}\b(say|says|tell|tells|instruct|instructs|state|"
                        r"states|direct|directs)\b", re.I)
# A question about what happened to a code, and when: its dated history. A change asked about
# ("when did it change", "what changed in 2023") outweighs a field named beside it ("when did
# the short descriptor change"); the bare noun does not ("family history, use additional code").
_HISTORY_NOUN = re.compile(
    r"\bhistory\b(?! of (?!(the |code |cpt |hcpcs |icd[- ]?10(-?cm)? )*[A-Z]?\d))", re.I)
_PARTICIPLES = (r"(added|created|introduced|deleted|changed|split|expanded|revised|retired|"
                r"replaced|removed|discontinued|invalidated|updated|modified|renamed|reworded|"
                r"terminated|expired|become|became|start|started|stop|stopped|end|ended|"
                r"effective|new)")
_BASE_VERBS = (r"(add|create|introduce|delete|change|split|expand|revise|retire|replace|remove|"
               r"discontinue|invalidate|update|modify|rename|terminate|expire|appear|begin|"
               r"start|stop|end|take effect|come into effect|go into effect|come in|come out)")
# With a field named, only a change of it asks for the history: "when does the global period
# end" asks for the field.
_CHANGE_WORD = re.compile(r"\b(change[sd]?|revis(e|ed|ion)|updated?|modif(y|ied)|renamed?|"
                          r"reworded|history)\b", re.I)
_WHEN = r"\b(when|(in |as of )?(what|which) (year|date|day|release|version|fiscal year))\b"
_HISTORY_CHANGE = re.compile(
    r"\b(change|code|revision|dated) history\b|\bchanges? (to|of|in|for)\b|"
    r"\bwhat happened (to|with)\b|"
    rf"{_WHEN} (was|were|is|has|have|had|did|does|do|will)\b.*\b{_PARTICIPLES}\b|"
    rf"{_WHEN} (did|does|do|will)\b.*\b{_BASE_VERBS}\b|"
    r"\bwhat (\w+ ){0,2}changed\b|\b(what|which) changes?\b|"
    r"\blast (changed|revised|updated|modified)\b|\bever (been )?(change|changed|revised|updated)\b|"
    r"\b(has|have|had|was|were)\b.{0,40}\b(changed|revised|updated|modified|renamed|reworded)\b|"
    r"\bwas (it|this|.{1,12}) ever\b|\btimeline\b|\bsince when\b|\bhow (has|did) .{1,20} change",
    re.I)

# Words that ask whether a code may be reported: a strong one asks it outright ("still
# valid", "deleted"), a weak one only with a code and nothing else asked ("can we bill it").
_STATUS_STRONG = re.compile(
    r"\b(valid|invalid|still|active|inactive|deleted|retired|discontinued|terminated|billable|"
    r"reportable|expired|current)\b|is it ok", re.I)
_STATUS_WEAK = re.compile(
    r"\b(reported|use|used|using|report|bill|billed|allowed|exist|exists|coded|submit|"
    r"submitted|acceptable|okay|ok)\b|can i|could i|may i|can we|can the", re.I)
_DESCRIBE_WORDS = re.compile(r"\b(what|describe|meaning|mean|means|define|definition|explain|"
                             r"title|descriptor|description|tell me about|stand for)\b", re.I)
# A question of at most this many words that asks for a field ("global days?") is about the
# code last discussed.
FOLLOW_UP_MAX_WORDS = 4
_FOLLOW_UP = re.compile(r"^\s*(and|what about|how about|also)\b", re.I)
_PRONOUN = re.compile(r"\b(its|it|this code|that code|same code|this one|that one|these|"
                      r"those|them|the codes?|that date|this date)\b", re.I)
# What is left of a follow-up that gives only a date ("what about for a date of service of
# 2021-03-01?", "and on 6/30/2019?"): these words, and nothing the question is about.
_DATE_ONLY_WORDS = re.compile(r"\b(and|what|about|how|also|for|on|of|at|in|a|an|the|then|"
                              r"instead|if|date|dates|service|dos|as|is|was|it|that|this|"
                              r"status|valid|billable|same|question|check|again|what's|whats|"
                              r"fy|during|year|back|before|after)\b", re.I)

_SYSTEM_CUES = [
    (re.compile(r"\bcpt\b|\bprocedure codes?\b|\bcategory (ii|iii)\b", re.I), "CPT"),
    (re.compile(r"\bhcpcs\b|level ii", re.I), "HCPCS"),
    (re.compile(r"\bicd[- ]?10(?:[- ]?cm)?\b|\bicd\b|\bdiagnos(is|es|tic) codes?\b|\bdx\b", re.I),
     "ICD-10-CM"),
]


class DateSource(StrEnum):
    """Where a question's date of service came from (the JSON's "date_of_service_from")."""

    REQUEST = "request"            # --dos, the API's or a batch line's date_of_service field
    QUESTION = "question"          # written in the question
    CONVERSATION = "conversation"  # kept from earlier in the conversation
    TODAY = "today"                # none given: the day asked


@dataclass
class Question:
    text: str
    kind: QuestionKind
    codes: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    dos: date = field(default_factory=date.today)
    dos_end: date | None = None
    dos_given: bool = False
    system: str | None = None
    from_context: bool = False
    search_text: str = ""
    today: date = field(default_factory=date.today)  # the day it was asked
    dos_from: DateSource = DateSource.TODAY
    # A date written in the question that cannot be read, and why ("2022-02-30: February
    # 2022 has 28 days"); the service refuses the question rather than answer for another day.
    date_problem: str | None = None


def analyse(text: str, today: date, dos: date | None = None,
            context_codes: list[str] | None = None,
            context_dos: date | None = None) -> Question:
    """context_codes and context_dos: the codes and the date of service the conversation was
    about (a follow-up keeps that date unless it gives another)."""
    codes = find_codes(text)
    when, until = find_date(text)
    fields = find_fields(text)
    from_context = False
    only_a_date = bool(when) and _only_a_date(text)
    if not codes and context_codes and (only_a_date or _refers_back(text, fields)):
        # A follow-up about a field is about the code last discussed; one that gives only a
        # date, about every code the conversation was about.
        codes = list(context_codes) if only_a_date else context_codes[:1]
        from_context = True
    if dos:
        day, end, source = dos, None, DateSource.REQUEST
    elif when:
        day, end, source = when, until, DateSource.QUESTION
    elif context_dos and from_context:
        day, end, source = context_dos, None, DateSource.CONVERSATION
    else:
        day, end, source = today, None, DateSource.TODAY
    kind, fields = _kind(text, codes, fields)
    if only_a_date and from_context:
        kind = QuestionKind.STATUS
    question = Question(
        text=text,
        kind=kind,
        codes=codes,
        fields=fields,
        dos=day,
        dos_end=end,
        dos_given=source != DateSource.TODAY,
        system=find_system(text),
        from_context=from_context,
        today=today,
        dos_from=source,
        date_problem=date_problem(text),
    )
    question.search_text = search_text(text)
    return question


def find_codes(text: str) -> list[str]:
    """Code-shaped tokens, in order of appearance, without duplicates (not yet checked)."""
    found: list[tuple[int, str]] = []
    masked = _VITAMIN_NAME.sub(lambda m: m.group(1) + " " * len(m.group(2)), without_days(text))
    masked = GRAVIDA_PARA.sub(lambda m: " " * len(m.group(0)), masked)
    for match in _ICD_DOTTED_ANY_CASE.finditer(masked):
        found.append((match.start(), f"{match.group(1)}.{match.group(2)}".upper()))
    for match in _ICD.finditer(masked):
        category, dotted, undotted = match.groups()
        tail = dotted or undotted
        found.append((match.start(), f"{category}.{tail}" if tail else category))
    for pattern in (_CPT, _HCPCS):
        for match in pattern.finditer(masked):
            found.append((match.start(), match.group(1).upper()))
    ordered: list[str] = []
    for _, code in sorted(found, key=lambda item: item[0]):
        if code not in ordered and not _is_year(code):
            ordered.append(code)
    return ordered




def find_fields(text: str) -> list[str]:
    """Every field or note the question names, strong cues and weak ones alike."""
    return [name for name, _ in _field_cues(text)]


def _field_cues(text: str) -> list[tuple[str, bool]]:
    """(field, named by a strong cue) for each field the text names, in cue order."""
    found: dict[str, bool] = {}
    for pattern, name, strong in _FIELD_PATTERNS:
        if pattern.search(text):
            found[name] = found.get(name, False) or strong
    leave_for_two = _asks_leave_for_two(text)
    if _BARE_EXCLUDES.search(text) or leave_for_two:
        for name in ("excludes1", "excludes2"):
            found.setdefault(name, True)
    if leave_for_two:
        found.pop("paired_codes", None)  # "can X be coded with Y": allowed, not what goes with
    if leave_for_two or _asks_two_together(text):
        found["together"] = True  # whether the notes of either keep them apart or pair them
    elif _asks_for_more_codes(text):
        found.setdefault("paired_codes", True)
    if "paired_codes" in found and found.keys() & {"code_first", "use_additional_code",
                                                   "code_also"}:
        del found["paired_codes"]  # "what additional codes go with": the kind it names
    for name in hcpcs_fields(text):
        found.setdefault(name, True)  # a HCPCS record field named by its own words
    if not found and _ALL_NOTES.search(text):
        found["notes"] = True
    return list(found.items())


def _asks_leave_for_two(text: str) -> bool:
    """'can I61.9 and I10 be billed together?', 'is M54.5 allowed with M54.16?'."""
    return bool(_LEAVE.search(text)) and bool(_TWO_CODES_TOGETHER.search(text))


def _asks_two_together(text: str) -> bool:
    """'should I code I12.9 together with N18.4?', 'does E11.22 need N18.4 with it?'."""
    return bool(_REPORTING.search(text)) and bool(_TWO_CODES_TOGETHER.search(text))


def _asks_for_more_codes(text: str) -> bool:
    """'do I need another code alongside it?', 'what symptom codes should be added?'."""
    return bool(_ADDED.search(text)) or (bool(_MORE_CODES.search(text))
                                         and bool(_WITH_IT.search(text))
                                         and not _INSTEAD.search(text)
                                         and not _STATUS_STRONG.search(text))


def find_system(text: str) -> str | None:
    for pattern, system in _SYSTEM_CUES:
        if pattern.search(text):
            return system
    return None


def search_text(text: str) -> str:
    """The question without its codes, dates and framing words, for similarity search."""
    cleaned = without_framing(without_days(text))
    cleaned = re.sub(r"[?!:;\"]", " ", cleaned)
    return " ".join(cleaned.split()) or text


def _kind(text: str, codes: list[str], fields: list[str]) -> tuple[QuestionKind, list[str]]:
    """The kind of question and the fields it asks for, from scored cues (not the first that
    matches): a change asked about wins, with any field named beside it ("when did the short
    descriptor change?"); then a field named outright; then the code's history; then a status
    word, over any field word that also describes a condition or a person ("is M17.0
    bilateral knee osteoarthritis still valid?", "can the care team still bill I10?")."""
    if not codes:
        return QuestionKind.FIND, fields
    cues = dict(_field_cues(text)) if fields else {}
    strong = [name for name, is_strong in cues.items() if is_strong]
    if _HISTORY_CHANGE.search(text) and (not strong or _CHANGE_WORD.search(text)):
        return QuestionKind.HISTORY, strong  # the answer names the fields' values too
    if strong:
        return QuestionKind.FIELD, strong
    if _HISTORY_NOUN.search(text):
        return QuestionKind.HISTORY, []
    status = 2 * bool(_STATUS_STRONG.search(text)) + bool(_STATUS_WEAK.search(text))
    if status >= 2 or (status and not cues):
        return QuestionKind.STATUS, []
    if cues:
        return QuestionKind.FIELD, list(cues)
    return QuestionKind.DESCRIBE, []


def _only_a_date(text: str) -> bool:
    """'what about for a date of service of 2021-03-01?': nothing but a date is asked."""
    return not _DATE_ONLY_WORDS.sub(" ", search_text(without_dates(text))).strip(" ,.?!")


def _refers_back(text: str, fields: list[str]) -> bool:
    """'and its global days?' or 'global days?' is a follow-up; 'what about sepsis?' is not."""
    if _PRONOUN.search(text):
        return True
    return bool(fields) and (bool(_FOLLOW_UP.search(text))
                             or len(text.split()) <= FOLLOW_UP_MAX_WORDS)


def _is_year(code: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d{2}", code))
