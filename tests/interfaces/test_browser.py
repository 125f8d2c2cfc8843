"""The web chat page in headless Chromium against a real server on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

MISSING = "/usr/bin/chromium is missing (apt-get install -y chromium)"

pytestmark = pytest.mark.browser


def chromium_or_skip(path: Path = CHROMIUM, ci: str | None = None) -> Path:
    """Chromium's path. Without it the browser tests skip on a laptop, but fail in CI (the
    CI variable set), so CI never passes without having run them."""
    ci = os.environ.get("CI") if ci is None else ci
    if path.exists():
        return path
    if ci and ci.lower() not in ("0", "false", "no"):
        pytest.fail(f"{MISSING}; CI is set, so the browser tests must run", pytrace=False)
    pytest.skip(MISSING)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server_url(sample_index, monkeypatch):
    yield from _serve(monkeypatch)


@pytest.fixture
def slice_server_url(slice_index, monkeypatch):
    yield from _serve(monkeypatch)


def _serve(monkeypatch):
    import uvicorn

    from assistant.interfaces.api import create_app

    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def browser():
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _ask(page, question: str):
    page.get_by_label("Question").fill(question)
    page.get_by_label("Question").press("Enter")
    answer = page.locator("article.answer").last
    answer.wait_for(timeout=30_000)
    return answer


def test_deleted_code_badge_and_history_citation(server_url, browser):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server_url)

    answer = _ask(page, "Is 77418 still active?")

    badge = answer.locator(".code-deleted .badge-deleted").first
    assert badge.inner_text() == "deleted 2015-01-01"
    assert answer.locator(".code-deleted code").first.inner_text() == "77418"
    assert "2015-01-01" in answer.locator(".warnings").inner_text()

    history_n = _history_citation_number(answer)
    marker = answer.locator(".text button.cite", has_text=f"[{history_n}]")
    marker.click()
    panel = answer.locator(".cited")
    assert panel.is_visible()
    assert marker.get_attribute("aria-expanded") == "true"
    assert panel.locator(".quote").inner_text() == "2015-01-01 | Deleted | Code deleted"
    assert "history" in panel.locator(".where").inner_text()
    assert "corpus/pages/77418.txt" in panel.inner_text()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    marker.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "chat-390.png"))
    answer.locator(".sources summary").click()
    answer.locator(".sources").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "chat-390-codes.png"))
    assert errors == []


def test_why_a_code_is_there_is_a_closed_disclosure(server_url, browser):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(server_url)

    answer = _ask(page, "Is 77418 still active?")

    reasons = answer.locator(".code-deleted .reasons").first
    assert reasons.get_attribute("open") is None
    assert not reasons.locator("li").first.is_visible()
    reasons.locator("summary").click()
    assert reasons.locator("li").first.inner_text() == "exact code named"


def test_errors_are_shown_and_answer_text_is_not_html(server_url, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server_url)

    page.get_by_label("Date of service").fill("2014-06-30")
    answer = _ask(page, "<img src=x onerror=alert(1)> Is 77418 still active?")
    assert "Date of service 2014-06-30" in answer.inner_text()
    assert page.locator(".log img").count() == 0
    assert "<img src=x" in page.locator(".question").last.inner_text()

    page.get_by_label("Question").fill("x" * 2000 + " 77418")  # maxlength keeps 2000
    page.evaluate("document.getElementById('question').value = 'y'.repeat(2100)")
    page.get_by_role("button", name="Ask").click()
    alert = page.get_by_role("alert").last
    alert.wait_for(timeout=10_000)
    assert "2000" in alert.inner_text()


def test_a_status_past_the_data_is_marked_on_the_code(slice_server_url, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(slice_server_url)
    page.get_by_label("Date of service").fill("2026-11-27")

    answer = _ask(page, "Is E11.9 valid?")

    code = answer.locator(".code", has=page.locator("code", has_text="E11.9")).first
    assert code.locator(".badge-active").inner_text() == "active"
    marker = code.locator(".badge-unverified")
    assert marker.inner_text() == "⚠ not verified: data through 2026-09-30"
    assert "FY2027, in effect since 2026-10-01, is not loaded" in marker.get_attribute("title")
    assert marker.locator("[aria-hidden=true]").inner_text().strip() == "⚠"
    assert "FY2027, in effect since 2026-10-01, is not loaded" in \
        answer.locator(".warnings").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _history_citation_number(answer) -> str:
    """The number of the source whose section is history, read from the Sources list."""
    items = answer.locator(".sources .citation")
    for index in range(items.count()):
        item = items.nth(index)
        if item.locator(".where").text_content() == "history":
            return item.locator(".cite-n").text_content().strip("[]")
    raise AssertionError("no history citation in the answer")


def test_a_follow_up_keeps_the_conversations_date_of_service(server_url, browser):
    page = browser.new_page()
    page.goto(server_url)
    first = _ask(page, "Was 77418 billable on 6/30/2014?")
    first.get_by_text("Date of service 2014-06-30").wait_for()
    page.locator("article.answer").nth(0).wait_for()
    follow_up = page.locator("article.answer").nth(1)
    _ask(page, "and its global days?")
    follow_up.wait_for(timeout=30_000)
    follow_up.get_by_text("Date of service 2014-06-30 (kept from this conversation)").wait_for()
    follow_up.get_by_text("XXX", exact=False).first.wait_for()


# ---------------------------------------------------------------- never a silent skip in CI

def test_a_missing_chromium_fails_in_ci_and_skips_elsewhere(tmp_path):
    missing = tmp_path / "chromium"

    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        chromium_or_skip(missing, ci="1")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        chromium_or_skip(missing, ci="true")
    with pytest.raises(pytest.skip.Exception, match="chromium is missing"):
        chromium_or_skip(missing, ci="")
    assert chromium_or_skip(Path(__file__), ci="1") == Path(__file__)
