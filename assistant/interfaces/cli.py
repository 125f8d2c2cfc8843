"""The terminal interface: ingest, lookup, ask, chat, batch, serve, slack.

Progress and diagnostics go to stderr; stdout carries only the answer. An error the user
can fix (AssistantError) is caught once, here, and printed as one line with its exit code.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from assistant.config import get_settings
from assistant.errors import AssistantError

stderr = Console(stderr=True)


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


@click.group(cls=_AssistantGroup,
             help="Medical coding assistant: grounded answers about CPT and ICD-10-CM codes.")
def main() -> None:
    pass


@main.command(help="Index code pages (files or folders); no PATH means the shipped corpus "
                   "and the full ICD-10-CM code set.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--icd10cm/--no-icd10cm", default=None,
              help="Also load ICD-10-CM (default: only when no PATH is given).")
def ingest(paths: tuple[Path, ...], icd10cm: bool | None) -> None:
    from assistant.interfaces.ingest_cli import run_ingest

    settings = get_settings()
    with_icd = icd10cm if icd10cm is not None else not paths
    page_paths = list(paths) or [settings.corpus_dir]
    sys.exit(run_ingest(settings, page_paths, with_icd, stderr))


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
@click.option("--dos", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of service (YYYY-MM-DD); default: the date in the question, or today.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as one JSON object.")
@click.option("--explain", is_flag=True,
              help="Also say why each code is in the answer (JSON always has its reasons).")
def ask(question: str, dos: datetime | None, as_json: bool, explain: bool) -> None:
    from assistant.answer.service import CodingAssistant
    from assistant.interfaces.render import render_answer

    answer = CodingAssistant(get_settings()).ask(question, dos.date() if dos else None)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        render_answer(answer, Console(), plain=not sys.stdout.isatty(), explain=explain)


@main.command(help="Chat: ask questions one after another; follow-ups refer to the last code.")
@click.option("--dos", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of service for every question (YYYY-MM-DD).")
def chat(dos: datetime | None) -> None:
    from assistant.answer.service import CodingAssistant
    from assistant.interfaces.chat import run_chat

    run_chat(dos.date() if dos else None, plain=not sys.stdout.isatty(),
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
