"""The opt-in audit log: one JSON line per question answered, for teams that must keep them.

Questions may hold patient information. This file is the only place their text is ever
written, and only when CODING_ASSISTANT_AUDIT_LOG names it; every logger names failures by
type and place instead. The file is created readable and writable by its owner only, and
lines are appended whole (one write each, under a lock), so threads and processes serving
questions at once never interleave them.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import SettingsError
from assistant.records import Answer

_lock = threading.Lock()


class AuditLogError(SettingsError):
    """CODING_ASSISTANT_AUDIT_LOG names a file that cannot be written."""


def audit_line(question: str, answer: Answer, now: datetime | None = None) -> str:
    """The record of one answered question: when, the question as asked, the whole answer."""
    moment = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    return json.dumps({"time": moment, "question": question, "answer": answer.to_dict()},
                      ensure_ascii=False)


def record(path: Path, question: str, answer: Answer) -> None:
    """Append the question and its answer to the audit log at `path`."""
    data = (audit_line(question, answer) + "\n").encode("utf-8")
    try:
        with _lock:
            descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(descriptor, data)
            finally:
                os.close(descriptor)
    except OSError as error:
        raise AuditLogError(
            f"CODING_ASSISTANT_AUDIT_LOG {path} cannot be written ({error.strerror or error}): "
            "fix the path or its permissions, or unset it; the answer was not given") from None
