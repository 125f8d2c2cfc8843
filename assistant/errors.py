"""The one base of every error a user can cause, and how each interface reports it.

An `AssistantError`'s message is one line that says what is wrong and what to do. The CLI
prints it and exits with `exit_code`; the HTTP API answers `{"detail": message}` with
`http_status`. Anything else that escapes is a bug: a traceback in the CLI, a 500 in the API,
an error line in `batch` (which goes on to the next question); the server and batch log name
where it failed (`failed_at`), never the question.
"""

from __future__ import annotations

import traceback


class AssistantError(Exception):
    exit_code: int = 1
    http_status: int = 500

    @property
    def message(self) -> str:
        return str(self)


class SettingsError(AssistantError):
    """A CODING_ASSISTANT_* setting that cannot be used as given."""

    exit_code = 2
    http_status = 503


class QuestionError(AssistantError):
    """A question that cannot be answered as asked (empty, too long, a bad date)."""

    exit_code = 2
    http_status = 422


def failed_at(error: BaseException) -> str:
    """Where a bug raised `error` ("assistant/retrieval/index_lookup.py:381")."""
    frames = traceback.extract_tb(error.__traceback__)
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
