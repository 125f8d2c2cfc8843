"""Render records and answers for a terminal (rich) or as plain text when piped."""

from __future__ import annotations

import re

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from assistant.records import Answer, Status
from assistant.status import status_words


def render_lookup(item: dict, console: Console, plain: bool) -> None:
    out = _Out(console, plain)
    status = item["status"]
    out.line(f"[bold]{item['system']} {item['code']}[/bold]  {escape(item['title'])}")
    out.line(f"Status on {status['date']}: {_status_words(status)}",
             style=None if status["status"] == Status.ACTIVE else "red")
    _lookup_basis(item, out)
    if item.get("kind") and item["kind"] != "code":
        out.line(f"Kind: {item['kind']}")
    if item.get("parent"):
        out.line(f"Parent: {item['parent']}")
    if item.get("children"):
        out.line(f"Children: {', '.join(item['children'])}")
    out.heading("Record")
    for name, value in item.get("attributes", {}).items():
        out.line(f"  {escape(name)}: {escape(value)}")
    if not item.get("attributes"):
        out.line(f"  Billable: {'yes' if item.get('billable') else 'no (header)'}")
    if item.get("sections"):
        out.heading("Clinical text")
        for section in item["sections"]:
            out.line(f"  [{section['name']}] {escape(section['text'])}")
    if item.get("notes"):
        out.heading("Notes")
        for note in item["notes"]:
            where = "" if note["stated_at"] == item["code"] else \
                f" (stated at {note['stated_at']}, applies to {item['code']})"
            out.line(f"  {note['kind']}{where}: {escape(note['text'])}")
    if item.get("history"):
        out.heading("History")
        for event in item["history"]:
            extra = f" -> {', '.join(event['replacements'])}" if event["replacements"] else ""
            out.line(f"  {event['date']} | {event['action']} | {escape(event['note'])}{extra}")
    out.heading("Source")
    out.line(f"  {escape(item['source']['path'])}")
    for line in item["source"].get("copyright", []):
        out.line(f"  {escape(line)}")
    _field_sources(item, out)


def _field_sources(item: dict, out: _Out) -> None:
    """Where the record's fields were read, where that is more exact than its source (the file
    and line of an official release; the fee schedule's fields merged into a page's record)."""
    places: dict[str, list[str]] = {}
    sources = item.get("field_sources") or {}
    for name in item.get("attributes", {}):
        if name in sources:
            places.setdefault(sources[name], []).append(name)
    for place, names in places.items():
        out.line(f"  {escape(place)}: {escape(', '.join(names))}")


def _lookup_basis(item: dict, out: _Out) -> None:
    """What the status rests on, and the dates the code's source speaks for."""
    basis = item.get("status_basis")
    if basis:
        out.line(f"Status basis: {escape(str(basis['explanation']))}",
                 style=None if basis["covered"] else "yellow")
        if basis.get("warning"):
            out.line(f"[bold red]Warning:[/bold red] {escape(str(basis['warning']))}")
    known = item.get("horizon")
    if known:
        newest = f" (newest release loaded: {known['newest']})" if known["releases"] > 1 else ""
        out.line(f"Its source speaks for dates {known['from']} through {known['through']}"
                 f"{escape(newest)}")


def _status_words(status: dict) -> str:
    words = status_words(Status(status["status"]), status.get("effective"))
    if status["status"] == Status.ACTIVE:
        words += " (valid and billable)"
    elif status.get("valid_from") and not status.get("effective"):
        words += f" (not valid until {status['valid_from']})"
    if status.get("replacements"):
        words += f"; use {', '.join(status['replacements'])}"
    return words


class _Out:
    def __init__(self, console: Console, plain: bool) -> None:
        self.console = console
        self.plain = plain

    def line(self, markup: str, style: str | None = None) -> None:
        if self.plain:
            plain = Text.from_markup(markup).plain
            self.console.print(plain, markup=False, highlight=False, soft_wrap=True)
        else:
            self.console.print(markup, style=style, highlight=False, soft_wrap=True)

    def heading(self, title: str) -> None:
        self.line(f"\n[bold underline]{title}[/bold underline]")


def _basis_warning(basis: dict[str, object] | None) -> str | None:
    warning = basis.get("warning") if basis else None
    return str(warning) if warning else None


def _marked_code(code: str, unverified: bool) -> str:
    """A code in the answer text: bold; in yellow with a warning sign when its status is not
    verified for the date of service (the warning below says why)."""
    if unverified:
        return f"[bold yellow]{code}⚠[/bold yellow]"
    return f"[bold cyan]{code}[/bold cyan]"


def render_answer(answer: Answer, console: Console, plain: bool, explain: bool = False) -> None:
    """The answer, then warnings, then (with `explain`) why each code is there, then its
    sources; bold codes and red warnings in a terminal."""
    out = _Out(console, plain)
    text = escape(answer.answer)
    if not plain and answer.codes:
        # One pass, longest first, so E11 is not marked again inside E11.9.
        codes = sorted({c.code for c in answer.codes}, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(code) for code in codes))
        unverified = {c.code for c in answer.codes if _basis_warning(c.status_basis)}
        text = pattern.sub(lambda m: _marked_code(m.group(0), m.group(0) in unverified), text)
    out.line(text)
    if not answer.grounded:
        out.line("(not answered from the corpus)", style="yellow")
    for warning in answer.warnings:
        out.line(f"[bold red]Warning:[/bold red] {escape(warning)}")
    if explain and answer.codes:
        out.line("Why these codes:")
        for code in answer.codes:
            out.line(escape(f"  {code.code}: {'; '.join(code.reasons)}"))
            basis = code.status_basis or {}
            if _basis_warning(basis):
                through = basis.get("verified_through")
                beyond = (f": its data speaks for dates through {through}"
                          if basis.get("reason") == "after_newest" and through else "")
                out.line(escape(f"    not verified for {answer.date_of_service}{beyond}"))
    if answer.citations:
        out.line("Sources:")
        for c in answer.citations:
            where = c.section + (f" / {c.field}" if c.field else "")
            out.line(escape(f"  [{c.n}] {c.system} {c.code}, {where}: \"{c.quote}\" ({c.source})"))
