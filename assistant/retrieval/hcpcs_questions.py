"""What a question asks of HCPCS Level II: a modifier named ("what does modifier LT mean?",
"the GY modifier") and the record fields of an HCPCS release in a coder's words ("coverage
code of E0135", "is V2020 ASC approved?").

Pure functions over the question's text, beside `analysis` (which calls `hcpcs_fields`).
"""

from __future__ import annotations

import re

_WORD = r"mod(?:ifier)?s?"
# "modifier LT", "modifiers LT and RT", "modifier -59", "mod GY"
_AFTER = re.compile(
    rf"\b{_WORD}\s*[-#:]?\s*(-?[A-Za-z0-9]{{2}}\b(?:\s*(?:,|/|&|\band\b|\bor\b)\s*-?[A-Za-z0-9]{{2}}\b)*)",
    re.IGNORECASE)
# "the LT modifier", "a -59 modifier"
_BEFORE = re.compile(rf"(?<![A-Za-z0-9-])-?([A-Za-z0-9]{{2}})\s+{_WORD}\b", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*(?:,|/|&|\band\b|\bor\b)\s*", re.IGNORECASE)
# Two-letter words that follow or precede "modifier" in a sentence without being one.
_NOT_MODIFIERS = {"is", "be", "to", "on", "in", "of", "at", "as", "it", "do", "if", "so", "no",
                  "by", "up", "we", "me", "my", "us", "go", "am", "an", "or", "he"}

# Record fields of an HCPCS release, from the words coders use (first match wins).
_FIELD_CUES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bcoverage (code|status)\b|\bmedicare coverage\b", re.I), "Coverage Code"),
    (re.compile(r"\bpricing (indicator|code|method)\b|\bhow is (it|this) priced\b", re.I),
     "Pricing Indicator"),
    (re.compile(r"\basc\b|ambulatory surg(ical|ery) cent(er|re)", re.I), "ASC Payment Group"),
    (re.compile(r"\bcross[- ]?reference|\bcrosswalk|\bxref\b", re.I), "Cross Reference Code"),
    (re.compile(r"\baction code\b", re.I), "Action Code"),
    (re.compile(r"\b(date added|added date|add date)\b", re.I), "Added Date"),
    (re.compile(r"\baction effective date\b", re.I), "Action Effective Date"),
    (re.compile(r"\btermination date\b|\bterm date\b", re.I), "Termination Date"),
]


def modifiers_named(text: str) -> list[str]:
    """Modifiers named in the text, upper case, in order: "LT", "59"."""
    found: list[tuple[int, str]] = []
    for match in _AFTER.finditer(text):
        start = match.start(1)
        for token in _SEPARATOR.split(match.group(1)):
            found.append((start, token))
            start += len(token)
    for match in _BEFORE.finditer(text):
        found.append((match.start(1), match.group(1)))
    named: list[str] = []
    for _, token in sorted(found):
        token = token.lstrip("-")
        if len(token) != 2 or (not token.isupper() and token.lower() in _NOT_MODIFIERS):
            continue
        if token.upper() not in named:
            named.append(token.upper())
    return named


# An HCPCS Level II code as written (a letter and four digits), or the code set named: only
# then are its fields' words read as fields (an ICD-10-CM question keeps its own reading).
_ABOUT_HCPCS = re.compile(r"\b[A-V]\d{4}\b|\bhcpcs\b|\blevel ii\b", re.IGNORECASE)


def hcpcs_fields(text: str) -> list[str]:
    """The HCPCS release fields a question about an HCPCS code asks for, by their names."""
    if not _ABOUT_HCPCS.search(text):
        return []
    return [name for pattern, name in _FIELD_CUES if pattern.search(text)]
