"""A one-shot `ask` spends no time in the cyclic garbage collector, and leaves a process that
goes on (a test's, a chat's) as it found it."""

from __future__ import annotations

import gc
import subprocess
import sys

from click.testing import CliRunner

from assistant.answer.service import CodingAssistant
from assistant.interfaces.cli import main


def test_ask_answers_with_the_collector_off_and_turns_it_back_on(slice_index, monkeypatch):
    collecting: list[bool] = []
    real_ask = CodingAssistant.ask

    def ask(self, *args, **kwargs):
        collecting.append(gc.isenabled())
        return real_ask(self, *args, **kwargs)

    monkeypatch.setattr(CodingAssistant, "ask", ask)
    # A freeze would leave this process's objects to no collection: only the program's own
    # exit may freeze. (Counting frozen objects is not a check: one frozen by an earlier test
    # may be freed meanwhile.)
    freezes: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: freezes.append(True))
    for question in ("Is E87.2 still valid?", ""):  # an answer, then a refused question
        result = CliRunner().invoke(main, ["ask", question])
        assert result.exit_code == (0 if question else 2), result.output
        assert gc.isenabled()
    assert collecting == [False, False]
    assert not freezes


def test_the_program_leaves_its_objects_to_the_exit_not_to_a_last_collection():
    code = ("import atexit, gc; "
            "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0)); "
            "from assistant.interfaces.cli import main; main(['--help'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().endswith("frozen True")
