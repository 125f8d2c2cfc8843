"""Errors raised while reading sources: each names the file and what is wrong with it."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import AssistantError


class PageError(AssistantError):
    http_status = 422

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")
