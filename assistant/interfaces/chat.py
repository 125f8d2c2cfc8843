"""`coding-assistant chat`: a REPL that keeps the conversation (follow-ups use the last code)."""

from __future__ import annotations

from datetime import date
from collections.abc import Callable

from rich.console import Console

from assistant.answer.service import CodingAssistant, Conversation, QuestionError
from assistant.interfaces.render import render_answer

EXIT_WORDS = {"exit", "quit", ":q", "bye"}
PROMPT = "coder> "


def run_chat(dos: date | None, plain: bool, assistant: CodingAssistant | None = None,
             read: Callable[[str], str] = input, console: Console | None = None) -> None:
    assistant = assistant or CodingAssistant()
    console = console or Console()
    conversation = Conversation()
    console.print("Ask about a code or describe a diagnosis or procedure. "
                  "Type exit or quit (or Ctrl-D) to leave.", highlight=False)
    while True:
        try:
            line = read(PROMPT)
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if line.strip().lower() in EXIT_WORDS:
            return
        if not line.strip():
            continue
        try:
            answer = assistant.ask(line, dos, conversation)
        except QuestionError as error:
            console.print(f"error: {error}", highlight=False)
            continue
        render_answer(answer, console, plain=plain)
