"""`coding-assistant batch`: one JSON line in, one JSON line out; a bad line never stops it."""

from __future__ import annotations

import json
import logging
from typing import BinaryIO, TextIO

from assistant.answer.service import CodingAssistant, QuestionError
from assistant.dates import parse_date_of_service
from assistant.errors import AssistantError, failed_at

log = logging.getLogger(__name__)
# The answer line of a question the assistant failed on (a bug), which the log names.
FAILED = "the assistant failed to answer this question; the log names the failure"


def run_batch(lines: BinaryIO, out: TextIO, assistant: CodingAssistant | None = None) -> int:
    assistant = assistant or CodingAssistant()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        result = _answer_line(raw, number, assistant)
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 0


def _answer_line(raw: bytes, number: int, assistant: CodingAssistant) -> dict:
    try:
        item = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return {"id": None, "line": number, "error": "the line is not valid UTF-8"}
    except ValueError:
        return {"id": None, "line": number, "error": "the line is not valid JSON"}
    if not isinstance(item, dict):
        return {"id": None, "line": number, "error": "the line is not a JSON object"}
    qid = item.get("id")
    question = item.get("question")
    if not isinstance(question, str):
        return {"id": qid, "error": "no question: each line needs a \"question\" string"}
    try:
        dos = parse_date_of_service(_given_date(item), "date_of_service")
        answer = assistant.ask(question, dos)
    except QuestionError as error:
        return {"id": qid, "error": str(error)}
    except AssistantError:
        raise  # no index, a bad setting: every line would fail the same, so batch stops
    except Exception as error:  # a bug: the questions after it are still answered
        log.error("line %d failed: %s at %s", number, type(error).__name__, failed_at(error))
        return {"id": qid, "error": FAILED}
    return {"id": qid, **answer.to_dict()}


def _given_date(item: dict) -> object:
    return item["date_of_service"] if "date_of_service" in item else item.get("dos")
