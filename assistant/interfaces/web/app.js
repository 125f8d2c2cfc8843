// The web chat page: sends questions to POST /api/ask and renders each Answer.
// All answer text goes through textContent (never innerHTML).
"use strict";

// What a follow-up refers back to: the last answer's context (its codes, and the date of
// service the conversation gave, which a follow-up keeps unless it gives another).
let lastCodes = [];
let lastDate = null;
let turnCount = 0;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// ---------------------------------------------------------------- asking

async function ask(question, dateOfService) {
  const body = { question, context_codes: lastCodes };
  if (dateOfService) body.date_of_service = dateOfService;
  if (lastDate) body.context_date_of_service = lastDate;
  const response = await fetch("/api/ask", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  let data = null;
  try {
    data = await response.json();
  } catch (_) {
    data = null;
  }
  if (!response.ok) {
    const detail = data && typeof data.detail === "string" ? data.detail : response.statusText;
    throw new Error(detail || `the server answered ${response.status}`);
  }
  return data;
}

async function onSubmit(event) {
  event.preventDefault();
  const input = document.getElementById("question");
  const question = input.value.trim();
  if (!question) {
    setStatus("Type a question first.");
    input.focus();
    return;
  }
  const dos = document.getElementById("dos").value;
  const turn = addTurn(question);
  setBusy(true);
  try {
    const answer = await ask(question, dos);
    turn.appendChild(renderAnswer(answer));
    const context = answer.context || {};
    if ((context.codes || []).length) lastCodes = context.codes;
    if (context.date_of_service) lastDate = context.date_of_service;
    input.value = "";
    setStatus("Answer received.");
  } catch (error) {
    turn.appendChild(renderError(error.message));
    setStatus("");
  } finally {
    setBusy(false);
    turn.scrollIntoView({ block: "start", behavior: "smooth" });
    input.focus();
  }
}

function setBusy(busy) {
  document.getElementById("send").disabled = busy;
  document.getElementById("ask").setAttribute("aria-busy", String(busy));
  if (busy) setStatus("Looking it up…");
}

function setStatus(text) {
  document.getElementById("status").textContent = text;
}

// ---------------------------------------------------------------- rendering

function addTurn(question) {
  document.getElementById("empty").hidden = true;
  turnCount += 1;
  const turn = el("li", "turn");
  turn.dataset.turn = String(turnCount);
  const asked = el("p", "question");
  asked.appendChild(el("span", "visually-hidden", "You asked: "));
  asked.appendChild(document.createTextNode(question));
  turn.appendChild(asked);
  document.getElementById("log").appendChild(turn);
  return turn;
}

function renderError(message) {
  const box = el("div", "error");
  box.setAttribute("role", "alert");
  box.appendChild(el("strong", null, "Could not answer: "));
  box.appendChild(document.createTextNode(message));
  return box;
}

function renderAnswer(answer) {
  const article = el("article", "answer");
  article.setAttribute("aria-label", "Answer");
  const kept = answer.date_of_service_from === "conversation" ? " (kept from this conversation)" : "";
  const meta = el("p", "meta", `Date of service ${answer.date_of_service}${kept}`);
  if (!answer.grounded) {
    const badge = el("span", "badge badge-unknown", "not in the corpus");
    meta.prepend(badge, " ");
    article.classList.add("ungrounded");
  }
  article.appendChild(meta);
  const panel = el("div", "cited");
  panel.hidden = true;
  panel.setAttribute("role", "region");
  panel.id = `cited-${turnCount}`;
  article.appendChild(renderText(answer, panel));
  article.appendChild(panel);
  if ((answer.warnings || []).length) article.appendChild(renderWarnings(answer.warnings));
  if ((answer.codes || []).length) article.appendChild(renderCodes(answer.codes));
  if ((answer.citations || []).length) article.appendChild(renderSources(answer.citations));
  return article;
}

// The answer text, with each [n] marker turned into a button that opens the cited source.
function renderText(answer, panel) {
  const paragraph = el("p", "text");
  const byNumber = new Map((answer.citations || []).map((c) => [String(c.n), c]));
  const parts = String(answer.answer || "").split(/(\[\d+\])/);
  for (const part of parts) {
    const match = /^\[(\d+)\]$/.exec(part);
    const citation = match && byNumber.get(match[1]);
    if (citation) {
      paragraph.appendChild(citeButton(citation, panel));
    } else if (part) {
      paragraph.appendChild(document.createTextNode(part));
    }
  }
  return paragraph;
}

function citeButton(citation, panel) {
  const button = el("button", "cite", `[${citation.n}]`);
  button.type = "button";
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", panel.id);
  button.setAttribute("aria-label", `Source ${citation.n}: ${citation.code} ${where(citation)}`);
  button.addEventListener("click", () => toggleCitation(button, citation, panel));
  return button;
}

function toggleCitation(button, citation, panel) {
  const open = button.getAttribute("aria-expanded") === "true";
  for (const other of button.parentElement.querySelectorAll("button.cite")) {
    other.setAttribute("aria-expanded", "false");
  }
  panel.replaceChildren();
  panel.hidden = open;
  if (open) return;
  button.setAttribute("aria-expanded", "true");
  panel.setAttribute("aria-label", `Source ${citation.n}`);
  panel.appendChild(renderCitation(citation));
  const close = el("button", "close", "Close");
  close.type = "button";
  close.addEventListener("click", () => {
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    button.focus();
  });
  panel.appendChild(close);
}

function where(citation) {
  return citation.field ? `${citation.section} / ${citation.field}` : citation.section;
}

function renderCitation(citation) {
  const box = el("div", "citation");
  const head = el("p", "citation-head");
  head.appendChild(el("span", "cite-n", `[${citation.n}]`));
  head.appendChild(document.createTextNode(" "));
  head.appendChild(el("code", "mono", citation.code));
  head.appendChild(document.createTextNode(` ${citation.system} · `));
  head.appendChild(el("span", "where", where(citation)));
  box.appendChild(head);
  box.appendChild(el("blockquote", "quote", citation.quote));
  box.appendChild(el("p", "source", `Source file: ${citation.source}`));
  return box;
}

function renderWarnings(warnings) {
  const box = el("div", "warnings");
  box.appendChild(el("h3", "visually-hidden", "Warnings"));
  const list = el("ul");
  for (const warning of warnings) list.appendChild(el("li", null, warning));
  box.appendChild(list);
  return box;
}

function renderCodes(codes) {
  const list = el("ul", "codes");
  list.setAttribute("aria-label", "Codes and their status");
  for (const code of codes) list.appendChild(renderCode(code));
  return list;
}

function renderCode(code) {
  const item = el("li", `code code-${code.status}`);
  const line = el("div", "code-line");
  line.appendChild(codeChip(code.code));
  line.appendChild(el("span", "system", code.system));
  line.appendChild(el("span", `badge badge-${code.status}`, code.status_text || code.status));
  if (code.status_basis && code.status_basis.warning) line.appendChild(basisMarker(code.status_basis));
  item.appendChild(line);
  if (code.title) item.appendChild(el("p", "title", code.title));
  if ((code.replacements || []).length) item.appendChild(renderReplacements(code.replacements));
  if ((code.reasons || []).length) item.appendChild(renderReasons(code.reasons));
  return item;
}

// A status the loaded data does not cover for the date of service (the warning says why).
function basisMarker(basis) {
  const marker = el("span", "badge badge-unverified");
  const icon = el("span", null, "⚠ ");
  icon.setAttribute("aria-hidden", "true");
  marker.append(icon, basisMarkerText(basis));
  marker.title = basis.warning;
  return marker;
}

// Past the newest release: how far the data goes; otherwise (a gap, an open change) no more.
function basisMarkerText(basis) {
  if (basis.reason === "after_newest" && basis.verified_through) {
    return `not verified: data through ${basis.verified_through}`;
  }
  return "not verified for this date";
}

// Why the code is in the answer, closed until asked for.
function renderReasons(reasons) {
  const details = el("details", "reasons");
  details.appendChild(el("summary", null, "Why this code"));
  const list = el("ul");
  for (const reason of reasons) list.appendChild(el("li", null, reason));
  details.appendChild(list);
  return details;
}

function renderReplacements(replacements) {
  const box = el("p", "replacements");
  box.appendChild(el("span", "use-instead", "Use instead: "));
  for (const replacement of replacements) box.appendChild(codeChip(replacement));
  return box;
}

function codeChip(code) {
  const chip = el("span", "chip");
  chip.appendChild(el("code", "mono", code));
  const button = el("button", "copy", "Copy");
  button.type = "button";
  button.setAttribute("aria-label", `Copy code ${code}`);
  button.addEventListener("click", () => copyCode(code, button));
  chip.appendChild(button);
  return chip;
}

async function copyCode(code, button) {
  try {
    await navigator.clipboard.writeText(code);
  } catch (_) {
    const scratch = el("textarea");
    scratch.value = code;
    document.body.appendChild(scratch);
    scratch.select();
    document.execCommand("copy");
    scratch.remove();
  }
  button.textContent = "Copied";
  setStatus(`Copied ${code}.`);
  setTimeout(() => { button.textContent = "Copy"; }, 1500);
}

function renderSources(citations) {
  const details = el("details", "sources");
  details.appendChild(el("summary", null, `Sources (${citations.length})`));
  const list = el("ol");
  for (const citation of citations) {
    const item = el("li");
    item.appendChild(renderCitation(citation));
    list.appendChild(item);
  }
  details.appendChild(list);
  return details;
}

// ---------------------------------------------------------------- wiring

function onKeyDown(event) {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    document.getElementById("ask").requestSubmit();
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("ask").addEventListener("submit", onSubmit);
  document.getElementById("question").addEventListener("keydown", onKeyDown);
});
