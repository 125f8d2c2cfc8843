"""The HTTP API and the web chat page; the Slack bot is mounted at POST /slack/events.

Questions may hold patient information: they are never logged here. An error the user can
fix (AssistantError) is answered as {"detail": message} with its HTTP status, by one handler;
any other failure is a 500, logged by its exception type and place only.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from fastapi import FastAPI, Request
import anyio
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from assistant.answer.service import CodingAssistant, Conversation, clean_question
from assistant.dates import parse_date_of_service
from assistant.errors import AssistantError, failed_at
from assistant.records import Answer

if TYPE_CHECKING:
    from slack_bolt import App

T = TypeVar("T")

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent / "web"
MAX_BODY = 16 * 1024
MAX_CONTEXT_CODES = 20
# Questions answered at once, each in a worker thread (SQLite, Chroma and onnxruntime let
# them run side by side). More threads than this only queue on the interpreter lock: 50
# clients got 17 answers/s with 40 threads, 19 with 4, on two busy cores.
ANSWER_THREADS = 2 * (os.cpu_count() or 1)
_answer_slots: anyio.CapacityLimiter | None = None
_CODE = re.compile(r"^[A-Za-z0-9.\-]{1,16}$")
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

# The body is read by hand (to cap its size), so its schema is declared for the docs here.
_ASK_SCHEMA = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["question"], "properties": {
        "question": {"type": "string", "maxLength": 2000},
        "date_of_service": {"type": "string", "format": "date",
                            "description": "YYYY-MM-DD; today when absent"},
        "context_codes": {"type": "array", "items": {"type": "string"},
                          "description": "the previous answer's context.codes, for follow-ups"},
        "context_date_of_service": {"type": "string", "format": "date",
                                    "description": "the previous answer's "
                                                   "context.date_of_service: a follow-up keeps "
                                                   "it unless it gives another date"},
    }}}}}}


class ApiError(AssistantError):
    """A request the client can fix, with its HTTP status and a readable message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.http_status = status


class SharedAssistant:
    """One CodingAssistant for all requests, created and warmed (index opened) on first use."""

    def __init__(self, assistant: CodingAssistant | None = None) -> None:
        self._assistant = assistant
        self._warm = False
        self._lock = threading.Lock()

    def get(self, warm: bool = True) -> CodingAssistant:
        with self._lock:
            if self._assistant is None:
                self._assistant = CodingAssistant()
            if warm and not self._warm:
                self._assistant.open_index()  # once, not once per thread
                self._warm = True
            return self._assistant

    def ask(self, question: str, date_of_service: date | None = None,
            conversation: Conversation | None = None) -> Answer:
        # refuse an empty or over-long question before opening the index
        clean_question(question, self.get(warm=False).settings.max_question_chars)
        return self.get().ask(question, date_of_service, conversation)

    def lookup(self, code: str, on: date | None = None) -> list[dict]:
        return self.get().lookup(code, on)


def create_app(assistant: CodingAssistant | None = None, slack_app: App | None = None) -> FastAPI:
    """The FastAPI app. Slack is mounted when a Bolt app is given or both SLACK_SIGNING_SECRET
    and SLACK_BOT_TOKEN are set."""
    shared = SharedAssistant(assistant)
    app = FastAPI(title="Medical coding assistant", docs_url="/api/docs",
                  openapi_url="/api/openapi.json", redoc_url=None)
    app.state.assistant = shared
    app.add_exception_handler(AssistantError, _assistant_error)
    _add_api_routes(app, shared)
    _add_page_routes(app)
    slack_app = slack_app or _slack_app_from_env(shared)
    if slack_app is not None:
        _add_slack_route(app, slack_app)
    return app


def _add_api_routes(app: FastAPI, shared: SharedAssistant) -> None:
    @app.post("/api/ask", openapi_extra=_ASK_SCHEMA)
    async def ask(request: Request) -> JSONResponse:
        """Answer a question; the response is the Answer JSON contract (see DESIGN.md)."""
        question, dos, conversation = _parse_ask(await _read_body(request))
        answer = await _call(shared.ask, question, dos, conversation)
        # already plain JSON data: FastAPI's own encoding walks it again (half a millisecond)
        return JSONResponse(answer.to_dict())

    @app.get("/api/lookup/{code}")
    async def lookup(code: str, on: str | None = None) -> dict:
        if not _CODE.match(code):
            raise ApiError(422, "a code is 1 to 16 letters, digits, dots or dashes, e.g. 77418 "
                                "or E87.2")
        found = await _call(shared.lookup, code, parse_date_of_service(on, "on"))
        if not found:
            raise ApiError(404, f"No code {code!r} in the index. It may not exist, or its code "
                                "set is not loaded.")
        return {"code": code, "records": found}

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}


def _add_page_routes(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", headers=_PAGE_HEADERS)

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")


def _add_slack_route(app: FastAPI, slack_app: App) -> None:
    from assistant.interfaces.slack_bot import add_fastapi_route

    add_fastapi_route(app, slack_app)


def _slack_app_from_env(shared: SharedAssistant) -> App | None:
    secret, token = os.environ.get("SLACK_SIGNING_SECRET"), os.environ.get("SLACK_BOT_TOKEN")
    if not (secret and token):
        if secret or token:
            log.warning("Slack is off: set both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN")
        return None
    from assistant.interfaces.slack_bot import create_slack_app

    # nothing here calls Slack (the bot's identity comes from settings), so a Slack outage
    # never stops the web page and the API from starting, nor a request from being acked
    return create_slack_app(shared, token=token, signing_secret=secret)


# ---------------------------------------------------------------- request handling

async def _read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The body, refused with 413 past `limit` bytes (declared or actually sent)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise ApiError(413, f"the request body is over {limit // 1024} KiB")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ApiError(413, f"the request body is over {limit // 1024} KiB")
    return bytes(body)


def _parse_ask(body: bytes) -> tuple[str, date | None, Conversation]:
    try:
        data = json.loads(body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict):
        raise ApiError(422, 'the body must be a JSON object: {"question": "...", '
                            '"date_of_service": "YYYY-MM-DD"}')
    question = data.get("question")
    if not isinstance(question, str) or not question.strip():
        raise ApiError(422, "the question is missing or empty: ask about a code or describe "
                            "a diagnosis or procedure")
    dos = parse_date_of_service(data.get("date_of_service"), "date_of_service")
    kept = parse_date_of_service(data.get("context_date_of_service"), "context_date_of_service")
    return question, dos, Conversation(codes=_context_codes(data.get("context_codes")), dos=kept)


def _context_codes(value: object) -> list[str]:
    """Codes of the previous answer, sent back by the chat page for follow-up questions."""
    if not isinstance(value, list):
        return []
    return [c for c in value if isinstance(c, str) and _CODE.match(c)][:MAX_CONTEXT_CODES]


async def _call(function: Callable[..., T], *args: object) -> T:
    try:
        return await anyio.to_thread.run_sync(function, *args, limiter=_slots())
    except AssistantError:
        raise
    except Exception as error:
        log.error("request failed: %s at %s", type(error).__name__, failed_at(error))
        raise ApiError(500, "the assistant failed to answer; the server log names the "
                            "failure") from None


def _slots() -> anyio.CapacityLimiter:
    """The limiter is made inside the running event loop, on first use."""
    global _answer_slots
    if _answer_slots is None:
        _answer_slots = anyio.CapacityLimiter(ANSWER_THREADS)
    return _answer_slots


async def _assistant_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, AssistantError)
    return JSONResponse({"detail": error.message}, status_code=error.http_status)


# ---------------------------------------------------------------- running

def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the API, the chat page and (when configured) Slack with uvicorn."""
    import uvicorn

    uvicorn.run(create_app(), host=host, port=port, log_level="info")
