"""The Slack bot: `/code <question>`, @mentions in channels and direct messages.

Every listener acknowledges at once and answers from a lazy listener, so a slow first
answer (loading the index) never misses Slack's three-second deadline. Nothing before the
acknowledgement calls Slack: the bot's identity comes from settings (SLACK_BOT_USER_ID,
SLACK_BOT_ID), not from `auth.test`, so a signed request is acknowledged even when Slack's Web
API cannot be reached. Replies are retried on connection and server errors; a reply that still
cannot be posted is logged by channel and reason, and one Slack refuses is replaced by a short
notice. The answer is the same `Answer` object every interface renders; `answer_blocks` turns
it into Block Kit.

Questions may hold patient information: nothing here logs them, and the Bolt and Slack SDK
loggers are kept at WARNING (they log request bodies at INFO and DEBUG).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (ConnectionErrorRetryHandler,
                                                   RateLimitErrorRetryHandler,
                                                   ServerErrorRetryHandler)
from slack_sdk.webhook import WebhookClient
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
NOT_POSTED = ("Sorry, Slack did not accept the answer to your question. Try again, or ask an "
              "administrator to check the server log.")
# Tries after the first, for a reply Slack could not be reached for or answered 5xx/429 to.
POST_RETRIES = 2

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
                     bot_user_id: str | None = None, bot_id: str | None = None,
                     base_url: str = WebClient.BASE_URL, retries: int = POST_RETRIES,
                     process_before_response: bool = False, **app_options: Any) -> App:
    """The Bolt app. Token, signing secret and identity default to SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET, SLACK_BOT_USER_ID and SLACK_BOT_ID; `base_url` is Slack's Web API.

    `process_before_response=True` suits FaaS hosts; a long-running server keeps False.
    """
    signing_secret = signing_secret if signing_secret is not None else os.environ.get(
        "SLACK_SIGNING_SECRET", "")
    authorize = _identity(token or os.environ.get("SLACK_BOT_TOKEN") or "",
                          bot_user_id or os.environ.get("SLACK_BOT_USER_ID") or None,
                          bot_id or os.environ.get("SLACK_BOT_ID") or None)
    # No token on the app's client: each request gets it from `authorize`, which calls nothing.
    client = WebClient(base_url=base_url, logger=_quiet_logger("assistant.slack.sdk"),
                       retry_handlers=_retry_handlers(retries))
    app = App(signing_secret=signing_secret, client=client, authorize=authorize,
              process_before_response=process_before_response, logger=_bolt_logger(),
              **app_options)
    _Bot(assistant, retries).register(app)
    return app


def _identity(token: str, bot_user_id: str | None,
              bot_id: str | None) -> Callable[..., AuthorizeResult]:
    """Bolt's `authorize`: the bot's token and identity from settings. Without it Bolt calls
    `auth.test` before the listener acknowledges, and fails the request when Slack cannot be
    reached. (A plain function: Bolt passes arguments by the names it finds.)"""
    def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=token,
                               bot_user_id=bot_user_id, bot_id=bot_id)
    return authorize


def _retry_handlers(retries: int) -> list[RetryHandler]:
    return [ConnectionErrorRetryHandler(max_retry_count=retries),
            ServerErrorRetryHandler(max_retry_count=retries),
            RateLimitErrorRetryHandler(max_retry_count=retries)]


def _bolt_logger() -> logging.Logger:
    return _quiet_logger("assistant.slack.bolt")


def _quiet_logger(name: str) -> logging.Logger:
    """A logger kept at WARNING: Bolt and the Slack SDK log request bodies at INFO and DEBUG."""
    logger = logging.getLogger(name)
    if logger.level < logging.WARNING:
        logger.setLevel(logging.WARNING)
    return logger


class _Bot:
    def __init__(self, assistant: Asker, retries: int = POST_RETRIES) -> None:
        self.assistant = assistant
        self.retries = retries
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

    def answer_command(self, command: dict) -> None:
        question = (command.get("text") or "").strip()
        response_url = command.get("response_url")
        if not question or not response_url:
            return
        key = f"command:{command.get('channel_id')}:{command.get('user_id')}"
        text, blocks = self._answer(question, key, show_question=True)
        webhook = WebhookClient(response_url, logger=_quiet_logger("assistant.slack.sdk"),
                                retry_handlers=_retry_handlers(self.retries))

        def post(text: str, blocks: list[dict] | None) -> None:
            sent = webhook.send(text=text, blocks=blocks, response_type="ephemeral")
            if sent.status_code != 200:
                raise _Refused(f"HTTP {sent.status_code} {sent.body[:60]}")

        _deliver(post, text, blocks, f"the /code response URL of channel {command.get('channel_id')}")

    def answer_mention(self, event: dict, client: WebClient) -> None:
        thread_ts = event.get("thread_ts") or event["ts"]
        question = _question_from(event.get("text", ""))
        if not question:
            text, blocks = error_blocks(MENTION_USAGE)
        else:
            text, blocks = self._answer(question, f"thread:{event['channel']}:{thread_ts}")
        _deliver(_poster(client, event["channel"], thread_ts), text, blocks,
                 f"channel {event['channel']}")

    def answer_dm(self, event: dict, client: WebClient) -> None:
        question = _question_from(event.get("text", ""))
        if not question:
            return
        text, blocks = self._answer(question, f"dm:{event['channel']}")
        _deliver(_poster(client, event["channel"], event.get("thread_ts")), text, blocks,
                 f"channel {event['channel']}")

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


class _Refused(Exception):
    """Slack was reached but did not take the reply (an error status or `ok: false`)."""


_Post = Callable[[str, list[dict] | None], object]


def _poster(client: WebClient, channel: str, thread_ts: str | None) -> _Post:
    def post(text: str, blocks: list[dict] | None) -> object:
        return client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text,
                                       blocks=blocks)
    return post


def _deliver(post: _Post, text: str, blocks: list[dict], where: str) -> bool:
    """Post a reply; the client has already retried connection, 5xx and rate-limit failures.

    A reply Slack refuses (too long, bad blocks) is replaced by a short notice, so the coder
    hears that the question was not answered. Logs name the place and the reason, never the
    question or the answer.
    """
    try:
        post(text, blocks)
        return True
    except (SlackApiError, _Refused) as error:
        log.error("Slack refused the reply to %s (%s); posting a short notice instead", where,
                  _reason(error))
    except Exception as error:  # no route to Slack, a timeout: nothing more can be sent
        log.error("Slack reply to %s could not be posted after retrying (%s); the coder got "
                  "no answer", where, _reason(error))
        return False
    try:
        post(NOT_POSTED, None)
    except Exception as error:
        log.error("the notice to %s could not be posted either (%s)", where, _reason(error))
    return False


def _reason(error: Exception) -> str:
    """What went wrong, without the payload: the error's type and Slack's error code."""
    if isinstance(error, SlackApiError):
        return f"SlackApiError {error.response.get('error')}"
    if isinstance(error, _Refused):
        return str(error)
    return type(error).__name__


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
