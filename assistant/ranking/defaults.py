"""Which billable code under a heading the question supports, and the sibling rules around
that choice: a heading's default adds nothing unasked, a side or detail the question states
is coded as documented, and an inclusion term above a code may place it elsewhere."""

from __future__ import annotations


from dataclasses import dataclass

from assistant.ranking.fit import (AskedWords, adds_unasked_qualifier, contradictions,
                                   default_preference, leaves_stated_detail_open,
                                   nothing_more_count,
                                   names_side, tabular_default_term,
                                   unasked_details)
from assistant.ranking.gestation import named_trimester
from assistant.ranking.tabular import (asked_trimester, cousin_titles, inclusion_terms_above,
                                       sibling_titles, titles_below)
from assistant.ranking.source import CodeSource
from assistant.records import CodeRecord
from assistant.retrieval.hybrid import CodeHit
from assistant.text import places_otherwise, prefix, search_tokens

# The words of a title that name its side, or leave it unspecified (`_sides_apart`).
_SIDE_PREFIXES = frozenset(prefix(w) for w in ("right", "left", "bilateral", "unspecified"))


@dataclass(frozen=True)
class HeadingChoice:
    """The heading the search matched, that a billable code was chosen under.

    by_default: at some level no child matched the question better than the heading did,
    so the default child was taken there (see `billable_under`).
    """

    heading: CodeRecord
    by_default: bool
    # the inclusion term "X NOS" that made a default child the tabular's own default
    default_term: str | None = None


def other_trimester(record: CodeRecord, asked: str | None) -> bool:
    """The code names a trimester, or leaves it unspecified, where the question's weeks
    fall in another (`asked`: theirs, `asked_trimester`)."""
    named = named_trimester(record.title)
    return named is not None and asked is not None and named != asked


def billable_under(heading: CodeRecord, by_key: dict[str, CodeHit], source: CodeSource,
                   question: str) -> tuple[CodeRecord, HeadingChoice] | None:
    """The billable code under a heading that the question supports, and how it was chosen.

    A child is taken where it matches the question better than the heading did (one that
    names a side or adds a detail the question did not ask never does); otherwise
    the default child: no detail the question did not ask for ("with ..."), then the one
    that holds, itself or below it, most of the question's words (the site it names), then
    the one the tabular lists as "X NOS" (`tabular_default_term`), then the most
    "unspecified", then the fewest words the question lacks, then tabular order (so 7th
    character A, initial encounter, before D and S). Children whose details
    contradict the question are never taken; None when no child is left.
    """
    asked = AskedWords.of(question, source.synonyms.kin)
    below_asked = asked.less_held_by(inclusion_terms_above(heading, source))
    asked_side = names_side(question)
    node: CodeRecord | None = heading
    floor = by_key[heading.key].best_dense if heading.key in by_key else 0.0
    by_default = False
    default_term: str | None = None
    while node is not None and not node.billable and node.children:
        keys = [f"{node.system}:{child}" for child in node.children]
        titles = source.titles(keys)
        keys = [k for k in keys if not contradictions(question, titles.get(k, ""))]
        if asked_side:
            kept = [titles.get(k, "") for k in keys]
            keys = [k for k in keys if not _unspecified_beside_sided(titles.get(k, ""), kept)]
        trimester = asked_trimester(question, source) if any(
            named_trimester(titles.get(k, "")) for k in keys) else None
        if trimester is not None:
            # the question's weeks pick the trimester (as chapter 15's notes count them)
            keys = [k for k in keys if named_trimester(titles[k]) == trimester] or keys
        # a child that names a side the question does not name, or adds a detail it did not
        # ask (an open fracture, a "with ..."), never matches it better
        kept = [titles.get(k, "") for k in keys]
        qualified = {k for k in keys
                     if adds_unasked_qualifier(below_asked, titles.get(k, ""), kept)}
        matched = [k for k in keys if k in by_key and by_key[k].best_dense > floor
                   and (asked_side or not names_side(titles.get(k, "")))
                   and not unasked_details(question, titles.get(k, ""))]
        # a child that adds a qualifier not asked ("Other colon polyps" beside "Colon polyps,
        # unspecified") never matches better: the default below says nothing more
        matched = [k for k in matched if k not in qualified]
        if matched:
            key = max(matched, key=lambda k: by_key[k].best_dense)
        elif keys:
            below = titles_below(keys, source.titles_under(node.system, node.code))
            terms = {k: _tabular_default(source.record(k)) for k in keys}
            key = max(keys, key=lambda k: default_preference(
                below_asked, titles.get(k, ""), below[k], terms[k] is not None,
                k in qualified))
            by_default = True
            if terms[key] is not None and sum(t is not None for t in terms.values()) < len(keys):
                default_term = terms[key]
        else:
            return None
        node = source.record(key)
    if node is None or not node.billable:
        return None
    return node, HeadingChoice(heading, by_default, default_term)


def placed_otherwise_above(record: CodeRecord, question: str, source: CodeSource) -> bool:
    """Whether an inclusion term of the code or of a heading above it places it on the part
    opposite the one the question names: S52.1 "Fracture of upper end of radius" includes
    "Fracture of proximal end of radius", so its codes are not for a distal radius."""
    return any(places_otherwise(question, term) for term in inclusion_terms_above(record, source))


def _tabular_default(record: CodeRecord | None) -> str | None:
    return tabular_default_term(record) if record is not None else None


def side_left_unspecified(record: CodeRecord, question: str, source: CodeSource) -> bool:
    """For a question that names a side: the code is the one of its siblings that leaves the
    side unspecified where another names the question's ("Tinnitus, unspecified ear" beside
    "Tinnitus, bilateral" for "both ears"): laterality is coded as documented, the
    unspecified side only when it is not."""
    if not unspecified_side(record.title) or not record.parent:
        return False
    return _unspecified_beside_sided(record.title, [
        title for title in sibling_titles(record, source) if not contradictions(question, title)])


def detail_left_open(record: CodeRecord, question: str, asked: AskedWords,
                      source: CodeSource) -> bool:
    """The code says "unspecified" where a sibling states the detail the question gives
    (`leaves_stated_detail_open`): the detail is coded as documented."""
    if not nothing_more_count(record.title) or not record.parent:
        return False
    beside = sibling_titles(record, source) + cousin_titles(record, source)
    return leaves_stated_detail_open(asked, record.title, beside,
                                     kept=lambda title: not contradictions(question, title))


def _unspecified_beside_sided(title: str, siblings: list[str]) -> bool:
    """The title leaves the side unspecified where one of its siblings is the same title
    with a side (`side_left_unspecified`, `billable_under`)."""
    if not unspecified_side(title):
        return False
    own = _sides_apart(title)
    return any(names_side(sibling) and _same_but_side(_sides_apart(sibling), own)
               for sibling in siblings)


def unspecified_side(title: str) -> bool:
    """A title that names no side and says "unspecified"."""
    return "unspecified" in title.lower() and not names_side(title)


def _sides_apart(title: str) -> frozenset[str]:
    """A title's word prefixes less its side words and "unspecified"."""
    return frozenset(prefix(w) for w in search_tokens(title)) - _SIDE_PREFIXES


def _same_but_side(one: frozenset[str], other: frozenset[str]) -> bool:
    """Two titles' words less their sides, one within the other: a bilateral title may leave
    out the part ("Tinnitus, bilateral" beside "Tinnitus, unspecified ear")."""
    return one <= other or other <= one


def sided_sibling(record: CodeRecord, source: CodeSource) -> bool:
    """A code beside it names a side: its "unspecified" is the side ("Other fracture of
    unspecified lower leg" beside "... of right lower leg"), not the kind ("Unspecified
    cataract" beside headings of kinds of cataract, whose sides are further down)."""
    return any(names_side(title) for title in sibling_titles(record, source))


def sided_below(record: CodeRecord, source: CodeSource) -> bool:
    return any(names_side(title) for _, title in source.titles_under(record.system, record.code))
