"""The terminal interface: ingest, lookup, ask, chat, batch, serve, slack.

Progress and diagnostics go to stderr; stdout carries only the answer. An error the user
can fix (AssistantError) is caught once, here, and printed as one line with its exit code.
"""

from __future__ import annotations

import gc
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from assistant.config import get_settings
from assistant.errors import AssistantError, QuestionError

stderr = Console(stderr=True)


class _DateOfService(click.ParamType):
    """--dos: YYYY-MM-DD, a day the calendar has; the message names the date refused."""

    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        from assistant.dates import parse_date_of_service

        if isinstance(value, date):
            return value
        try:
            parsed = parse_date_of_service(value, "the date of service")
        except QuestionError as error:
            self.fail(error.message, param, ctx)
        if parsed is None:
            self.fail("the date of service is empty: write it as YYYY-MM-DD", param, ctx)
        return parsed


class _AssistantGroup(click.Group):
    """The command group; it turns an AssistantError into one line on stderr and its exit
    code, wherever in a command it is raised."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except AssistantError as error:
            stderr.print(f"[red]error:[/red] {escape(error.message)}", soft_wrap=True,
                         highlight=False)
            ctx.exit(error.exit_code)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """The program itself (a test's CliRunner calls `main` instead): when the command
        ends, so does the process."""
        try:
            return super().__call__(*args, **kwargs)
        finally:
            # Spare the exit the collector's last pass over every object: a quarter of a
            # second after a cold `ask`, for memory the process hands back anyway.
            gc.freeze()


@click.group(cls=_AssistantGroup,
             help="Medical coding assistant: grounded answers about CPT and ICD-10-CM codes.")
def main() -> None:
    pass


@main.command(help="Index code pages and official ICD-10-CM release files (order files, code "
                   "lists, tabular XML; files, folders or zips); no PATH means the shipped "
                   "corpus and the full ICD-10-CM code set.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--icd10cm/--no-icd10cm", default=None,
              help="Also load ICD-10-CM (default: when no PATH is given or a release file is).")
@click.option("--effective", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date a release file takes effect (YYYY-MM-DD), when its name does not say "
                   "(icd10cm_order_2027.txt: 2026-10-01).")
def ingest(paths: tuple[Path, ...], icd10cm: bool | None, effective: datetime | None) -> None:
    from assistant.interfaces.ingest_cli import run_ingest

    settings = get_settings()
    with_icd = icd10cm if icd10cm is not None else not paths
    page_paths = list(paths) or [settings.corpus_dir]
    sys.exit(run_ingest(settings, page_paths, with_icd, stderr,
                        effective.date() if effective else None))


@main.command(help="Show a code's whole record, notes, history and status today.")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--system", default=None, help="Code system, when a code exists in several.")
def lookup(code: str, as_json: bool, system: str | None) -> None:
    from assistant.answer.lookup import lookup_code
    from assistant.interfaces.render import render_lookup

    settings = get_settings()
    found = lookup_code(settings, code, system, date.today())
    if not found:
        stderr.print(f"[red]No code {code!r} in the index.[/red] "
                     "It may not exist, or its code set is not loaded.")
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(found if len(found) > 1 else found[0], ensure_ascii=False, indent=2))
    else:
        for item in found:
            render_lookup(item, Console(), plain=not sys.stdout.isatty())


@main.command(help="Answer one question.")
@click.argument("question")
@click.option("--dos", type=_DateOfService(), default=None,
              help="Date of service (YYYY-MM-DD); default: the date in the question, or today.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as one JSON object.")
@click.option("--explain", is_flag=True,
              help="Also say why each code is in the answer (JSON always has its reasons).")
def ask(question: str, dos: date | None, as_json: bool, explain: bool) -> None:
    # One answer: the cyclic collector would walk the objects of every module it loads, over
    # and over, for the little garbage one answer makes (about 0.15 s of a cold `ask`).
    gc.disable()
    try:
        _answer_one(question, dos, as_json, explain)
    finally:
        gc.enable()


def _answer_one(question: str, dos: date | None, as_json: bool, explain: bool) -> None:
    from assistant.answer.service import CodingAssistant
    from assistant.interfaces.render import render_answer

    answer = CodingAssistant(get_settings()).ask(question, dos)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        render_answer(answer, Console(), plain=not sys.stdout.isatty(), explain=explain)


@main.command(help="Chat: ask questions one after another; follow-ups refer to the last code.")
@click.option("--dos", type=_DateOfService(), default=None,
              help="Date of service for every question (YYYY-MM-DD).")
def chat(dos: date | None) -> None:
    from assistant.answer.service import CodingAssistant
    from assistant.interfaces.chat import run_chat

    run_chat(dos, plain=not sys.stdout.isatty(),
             assistant=CodingAssistant(get_settings()))


@main.command(help="Answer JSON Lines questions from stdin ({\"id\", \"question\"} a line) "
                   "as JSON Lines on stdout.")
def batch() -> None:
    from assistant.interfaces.batch import run_batch

    from assistant.answer.service import CodingAssistant

    sys.exit(run_batch(sys.stdin.buffer, sys.stdout, CodingAssistant(get_settings())))


def _register_server_commands() -> None:
    from assistant.interfaces.server_cli import serve, slack

    main.add_command(serve)
    main.add_command(slack)


_register_server_commands()

if __name__ == "__main__":
    main()
