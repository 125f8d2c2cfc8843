"""The Slack bot: `/code <question>`, @mentions in channels and direct messages.

Every listener acknowledges at once and answers from a lazy listener, so a slow first
answer (loading the index) never misses Slack's three-second deadline. The answer is the
same `Answer` object every interface renders; `answer_blocks` turns it into Block Kit.

Questions may hold patient information: nothing here logs them, and the Bolt loggers are
kept at WARNING (Bolt logs request bodies at INFO and DEBUG).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltRequest, BoltResponse, Respond
from slack_sdk import WebClient
from starlette.requests import Request  # at module level: FastAPI resolves the route annotation
from starlette.responses import Response

from assistant.answer.service import Asker, Conversation, QuestionError
from assistant.records import Answer, Status
from assistant.status import status_words

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger(__name__)

SECTION_LIMIT = 3000
CONTEXT_ELEMENTS = 10
MAX_BLOCKS = 50
TRUNCATED = "… (truncated)"
# Event ids (to drop redeliveries) and conversations (for follow-ups) remembered, each.
RECENT_KEYS = 1000
USAGE = ("Ask a coding question, e.g. `/code Is 77418 still active?` or "
         "`/code Could E88.81 be reported for a date of service of 2023-06-30?`")
MENTION_USAGE = ("Mention me with a coding question, e.g. "
                 "`@coding-assistant Is 77418 still active?`")
FAILED = ("Sorry, the assistant could not answer that just now. Try again, or ask an "
          "administrator to check the server log.")

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_STATUS_EMOJI = {Status.ACTIVE: ":large_green_circle:",
                 Status.NOT_BILLABLE: ":large_orange_circle:", Status.DELETED: ":red_circle:"}


# ---------------------------------------------------------------- Block Kit rendering

def answer_blocks(answer: Answer | dict, question: str | None = None) -> tuple[str, list[dict]]:
    """Render an Answer (or its dict) as (plain-text fallback, Block Kit blocks).

    `question` adds a context line quoting it (slash-command replies do not show it).
    """
    data = answer.to_dict() if isinstance(answer, Answer) else answer
    blocks: list[dict] = []
    if question:
        blocks.append(_context([f"*Q:* {_escape(question)}"]))
    blocks.append(_section(_answer_text(data)))
    if data.get("codes"):
        blocks.append(_section(_codes_text(data["codes"])))
    if data.get("warnings"):
        blocks.append(_section("\n".join(f":warning: {_escape(w)}" for w in data["warnings"])))
    if data.get("citations"):
        blocks.append(_context(_source_lines(data["citations"])))
    return _fallback_text(data), blocks[:MAX_BLOCKS]


def error_blocks(message: str) -> tuple[str, list[dict]]:
    text = _clip(f":x: {_escape(message)}")
    return _clip(message), [_section(text)]


def _answer_text(data: dict) -> str:
    text = _escape(data.get("answer") or "")
    if not data.get("grounded", True):
        text = f":grey_question: *Not in the corpus.* {text}"
    return text


def _codes_text(codes: list[dict]) -> str:
    return "\n".join(_code_line(c) for c in codes)


def _code_line(code: dict) -> str:
    status = code.get("status", "")
    line = (f"{_STATUS_EMOJI.get(status, '')} `{_escape(code['code'])}` {_escape(code['system'])}"
            f" · {status_label(code)} · {_escape(code.get('title') or '')}")
    if code.get("replacements"):
        line += " · use instead: " + ", ".join(f"`{_escape(r)}`" for r in code["replacements"])
    basis = code.get("status_basis") or {}
    if basis.get("warning"):
        through = basis.get("verified_through")
        line += (f" · :warning: _not verified: data through {_escape(str(through))}_"
                 if basis.get("reason") == "after_newest" and through
                 else " · :warning: _not verified for this date_")
    return line.strip()


def status_label(code: dict) -> str:
    """"active", or the change in bold: "*deleted 2015-01-01*", "*not billable since …*"."""
    words = status_words(Status(code["status"]), code.get("deleted_on"))
    return words if code["status"] == Status.ACTIVE else f"*{words}*"


def _source_lines(citations: list[dict]) -> list[str]:
    lines = [_source_line(c) for c in citations]
    if len(lines) > CONTEXT_ELEMENTS:
        rest = len(lines) - (CONTEXT_ELEMENTS - 1)
        lines = lines[:CONTEXT_ELEMENTS - 1] + [f"… and {rest} more sources (truncated)"]
    return lines


def _source_line(citation: dict) -> str:
    where = citation["section"] + (f" / {citation['field']}" if citation.get("field") else "")
    quote, source = citation.get("quote") or "", citation.get("source") or ""
    return (f"[{citation['n']}] `{_escape(citation['code'])}` {_escape(where)}: "
            f"“{_escape(quote)}” _{_escape(source)}_")


def _fallback_text(data: dict) -> str:
    parts = [data.get("answer") or ""]
    if not data.get("grounded", True):
        parts.insert(0, "Not in the corpus.")
    parts += [f"Warning: {w}" for w in data.get("warnings", [])]
    return _clip("\n".join(parts))


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text or " ")}}


def _context(lines: list[str]) -> dict:
    return {"type": "context",
            "elements": [{"type": "mrkdwn", "text": _clip(line)} for line in lines]}


def _escape(text: str) -> str:
    """Escape Slack's mrkdwn control characters: &, < and >."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _clip(text: str, limit: int = SECTION_LIMIT) -> str:
    """Cut text to Slack's limit, saying so, without splitting an &entity;."""
    if len(text) <= limit:
        return text
    cut = text[:limit - len(TRUNCATED)]
    amp = cut.rfind("&", max(0, len(cut) - 5))
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + TRUNCATED


# ---------------------------------------------------------------- the Bolt app

class _Recent:
    """A bounded, thread-safe memory of keys (event ids, conversations)."""

    def __init__(self, size: int = RECENT_KEYS) -> None:
        self._items: OrderedDict[str, object] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        """True the first time a key is seen."""
        with self._lock:
            if key in self._items:
                return False
            self._put(key, True)
            return True

    def conversation(self, key: str) -> Conversation:
        with self._lock:
            found = self._items.pop(key, None)
            if not isinstance(found, Conversation):
                found = Conversation()
            self._put(key, found)
            return found

    def _put(self, key: str, value: object) -> None:
        self._items[key] = value
        while len(self._items) > self._size:
            self._items.popitem(last=False)


def create_slack_app(assistant: Asker, token: str | None = None, signing_secret: str | None = None,
                     client: WebClient | None = None, process_before_response: bool = False,
                     **app_options: Any) -> App:
    """The Bolt app. Token and signing secret default to SLACK_BOT_TOKEN/SLACK_SIGNING_SECRET.

    `process_before_response=True` suits FaaS hosts; a long-running server keeps False.
    """
    signing_secret = signing_secret if signing_secret is not None else os.environ.get(
        "SLACK_SIGNING_SECRET", "")
    if client is None:
        token = token or os.environ.get("SLACK_BOT_TOKEN")
    app = App(token=token, signing_secret=signing_secret, client=client,
              process_before_response=process_before_response, logger=_bolt_logger(),
              **app_options)
    _Bot(assistant).register(app)
    return app


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("assistant.slack.bolt")
    if logger.level < logging.WARNING:  # Bolt logs request bodies at INFO and DEBUG
        logger.setLevel(logging.WARNING)
    return logger


class _Bot:
    def __init__(self, assistant: Asker) -> None:
        self.assistant = assistant
        self.seen = _Recent()
        self.conversations = _Recent()

    def register(self, app: App) -> None:
        app.use(self.skip_duplicates)
        app.command("/code")(ack=self.ack_command, lazy=[self.answer_command])
        app.event("app_mention")(ack=_ack, lazy=[self.answer_mention])
        app.event("message", matchers=[_is_user_dm])(ack=_ack, lazy=[self.answer_dm])
        app.event("message")(_ack)  # other message events: acknowledged, ignored

    # A retried event (Slack saw no 200 within 3 s) is acknowledged and dropped: the first
    # delivery was acknowledged at once and is being answered. Event ids catch the rest.
    def skip_duplicates(self, request: BoltRequest, body: dict,
                        next: Callable[[], BoltResponse]) -> BoltResponse:
        retried = request.headers.get("x-slack-retry-num")
        if retried or not self._first_delivery(body):
            return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
        return next()

    def _first_delivery(self, body: dict) -> bool:
        event_id = body.get("event_id")
        return not event_id or self.seen.first_time(event_id)

    def ack_command(self, ack: Ack, command: dict) -> None:
        if not (command.get("text") or "").strip():
            ack(text=USAGE)
        else:
            ack()

    def answer_command(self, command: dict, respond: Respond) -> None:
        question = (command.get("text") or "").strip()
        if not question:
            return
        key = f"command:{command.get('channel_id')}:{command.get('user_id')}"
        text, blocks = self._answer(question, key, show_question=True)
        respond(text=text, blocks=blocks, response_type="ephemeral")

    def answer_mention(self, event: dict, client: WebClient) -> None:
        thread_ts = event.get("thread_ts") or event["ts"]
        question = _question_from(event.get("text", ""))
        if not question:
            text, blocks = error_blocks(MENTION_USAGE)
        else:
            text, blocks = self._answer(question, f"thread:{event['channel']}:{thread_ts}")
        client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts, text=text,
                                blocks=blocks)

    def answer_dm(self, event: dict, client: WebClient) -> None:
        question = _question_from(event.get("text", ""))
        if not question:
            return
        text, blocks = self._answer(question, f"dm:{event['channel']}")
        client.chat_postMessage(channel=event["channel"], thread_ts=event.get("thread_ts"),
                                text=text, blocks=blocks)

    def _answer(self, question: str, key: str,
                show_question: bool = False) -> tuple[str, list[dict]]:
        try:
            conversation = self.conversations.conversation(key)
            answer = self.assistant.ask(question, conversation=conversation)
        except QuestionError as error:
            message = str(error)
            return error_blocks(message[:1].upper() + message[1:])
        except Exception as error:  # never log the question; name the failure only
            log.error("Slack answer failed: %s", type(error).__name__)
            return error_blocks(FAILED)
        return answer_blocks(answer, question if show_question else None)


def _ack(ack: Ack) -> None:
    ack()


def _is_user_dm(event: dict) -> bool:
    return (event.get("channel_type") == "im" and not event.get("subtype")
            and not event.get("bot_id"))


def _question_from(text: str) -> str:
    return " ".join(_unescape(_MENTION.sub(" ", text)).split())


# ---------------------------------------------------------------- serving

def add_fastapi_route(api: FastAPI, slack_app: App, path: str = "/slack/events") -> None:
    """Mount the Bolt app on a FastAPI app at POST `path`, through Bolt's Starlette adapter.

    The adapter's own handler calls the synchronous `dispatch` on the event loop; here it
    runs in the thread pool, so a Slack request never stalls the web page and the API.
    """
    from starlette.concurrency import run_in_threadpool
    from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response

    @api.post(path, include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        bolt_request = to_bolt_request(request, await request.body())
        return to_starlette_response(await run_in_threadpool(slack_app.dispatch, bolt_request))


def run_socket_mode(assistant: Asker, app_token: str | None = None) -> None:
    """Connect to Slack over Socket Mode (no public URL needed). Blocks until stopped."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    app_token = app_token or os.environ.get("SLACK_APP_TOKEN")
    if not app_token:
        raise RuntimeError("Socket Mode needs SLACK_APP_TOKEN (an app-level xapp- token "
                           "with the connections:write scope)")
    SocketModeHandler(create_slack_app(assistant), app_token).start()
