"""Zalo's rendering of the one answer model: plain text in parts of at most 2,000 characters.

Zalo has no buttons: the answer's choices become numbered lines the citizen answers with a number
(`to_zalo` returns the actions in that order), links are plain URLs, and a procedure card or checklist
ends with its print/QR page (BOT_PUBLIC_URL + /p/<id>) when a public URL is configured.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from bot.answering.answer import CHECKLIST, PROCEDURE, Answer, Button

ZALO_LIMIT = 2000  # characters of one sendMessage text (counted in UTF-16 units, the stricter reading)


@dataclass
class Rendered:
    """The parts to send, in order, and the action behind each number offered (1 → actions[0])."""

    parts: list[str]
    actions: list[str] = field(default_factory=list)


def size(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def choices(answer: Answer, t) -> list[Button]:
    """The buttons the citizen can answer with a number: the core's actions, 📋 on a procedure card."""
    feedback = {"👍": t("👍 Helpful"), "👎": t("👎 Not helpful")}
    out = [Button(feedback.get(b.label, b.label), b.action) for b in answer.buttons if b.action and not b.url]
    if answer.kind == PROCEDURE and answer.procedure_id:  # before the votes, which come last
        votes = [n for n, b in enumerate(out) if b.action.startswith("feedback:")]
        out.insert(votes[0] if votes else len(out), Button(t("📋 Checklist to forward"), f"checklist:{answer.procedure_id}"))
    return out


def page_url(public_url: str, answer: Answer) -> str:
    """The procedure's web page (print view for a checklist), which shows its QR code; "" when unknown."""
    if not public_url or answer.kind not in (PROCEDURE, CHECKLIST) or not answer.procedure_id:
        return ""
    url = f"{public_url.rstrip('/')}/p/{quote(answer.procedure_id, safe='/')}"
    return url + "?print=1" if answer.kind == CHECKLIST else url


def to_zalo(answer: Answer, t, public_url: str = "") -> Rendered:
    """The answer as Zalo messages: title, sections, links as URLs, the page link, numbered choices."""
    head = [answer.title, answer.subtitle, answer.intro]
    blocks = ["\n".join(line for line in head if line)]
    numbered = choices(answer, t)
    shown_urls = set()
    for s in answer.sections:
        if s.key == "choices" and numbered:  # the numbered lines below say the same
            continue
        blocks.append("\n".join([f"{s.title}:", *s.lines, *(f"🔗 {link.label}: {link.url}" for link in s.links)]))
        shown_urls.update(link.url for link in s.links)
    links = [f"🔗 {b.label}: {b.url}" for b in answer.buttons if b.url and b.url not in shown_urls]
    if url := page_url(public_url, answer):
        links.append(t("🖨 Print, share or scan its QR code: {url}", url=url))
    if links:
        blocks.append("\n".join(links))
    if answer.caution:  # one short line after the facts, as in every rendering
        blocks.append(f"⚠️ {answer.caution}")
    if numbered:
        lines = [f"{n}. {b.label}" for n, b in enumerate(numbered, 1)]
        blocks.append("\n".join([t("Reply with a number:"), *lines]))
    return Rendered(split_text("\n\n".join(b for b in blocks if b.strip())), [b.action for b in numbered])


def split_text(text: str, limit: int = ZALO_LIMIT) -> list[str]:
    """Parts of at most `limit`, cut at blank lines, else at line ends, else between words."""
    parts, current = [], ""
    for sep, unit in _units(text.strip(), limit):
        if current and size(current) + size(sep) + size(unit) <= limit:
            current += sep + unit
        else:
            parts.append(current)
            current = unit
    return [p.strip() for p in parts + [current] if p.strip()]


def _units(text: str, limit: int):
    """(separator before it, piece) in order; every piece fits in `limit`."""
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        lines = [block] if size(block) <= limit else block.split("\n")
        for i, line in enumerate(lines):
            pieces = [line] if size(line) <= limit else _cut_words(line, limit)
            for j, piece in enumerate(pieces):
                yield ("\n\n" if i == 0 else "\n") if j == 0 else " ", piece


def _cut_words(line: str, limit: int) -> list[str]:
    """A line longer than `limit` in pieces cut between words (a word longer than `limit` is cut anyway)."""
    out, current = [], ""
    for word in line.split(" "):
        while size(word) > limit:
            cut = limit
            while size(word[:cut]) > limit:
                cut -= 1
            out += [current] if current else []
            out.append(word[:cut])
            current, word = "", word[cut:]
        if current and size(current) + 1 + size(word) > limit:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return out + ([current] if current else [])
