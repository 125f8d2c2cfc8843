"""`coding-assistant ask ... --json` run through click's CliRunner, for tests that read the JSON."""

from __future__ import annotations

import json

from click.testing import CliRunner

from assistant.interfaces.cli import main


def ask_json(*args: str) -> dict:
    result = CliRunner().invoke(main, ["ask", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)
