"""Renderings of the one answer model: plain text (terminal) and Telegram HTML. No facts are formatted here."""
from __future__ import annotations

from html import escape

from bot.answering.answer import Answer

TELEGRAM_LIMIT = 4096


def to_text(answer: Answer) -> str:
    """Plain text for a terminal."""
    out = [answer.title.upper()]
    if answer.subtitle:
        out.append(answer.subtitle)
    if answer.intro:
        out.append(answer.intro)
    if answer.caution:
        out.append(f"⚠ {answer.caution}")
    for s in answer.sections:
        out += ["", f"{s.title}:", *s.lines, *(f"  {link.label}: {link.url}" for link in s.links)]
    choices = [b for b in answer.buttons if b.action.startswith(("pick:", "field:"))]
    if choices:
        out += ["", *(f"[{n}] {b.label}" for n, b in enumerate(choices, 1))]
    return "\n".join(out).strip()


def to_telegram_html(answer: Answer) -> str:
    """Telegram HTML (parse_mode=HTML): every string escaped, only b/i/a tags added."""
    out = [f"<b>{escape(answer.title)}</b>"]
    if answer.subtitle:
        out.append(f"<i>{escape(answer.subtitle)}</i>")
    if answer.intro:
        out.append(escape(answer.intro))
    if answer.caution:
        out.append(f"⚠️ <i>{escape(answer.caution)}</i>")
    for s in answer.sections:
        out += ["", f"<b>{escape(s.title)}</b>", *(escape(line) for line in s.lines)]
        out += [f'🔗 <a href="{escape(link.url, quote=True)}">{escape(link.label)}</a>' for link in s.links]
    return "\n".join(out).strip()


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split at blank lines, then lines, so no part exceeds Telegram's limit and no tag is cut."""
    parts, current = [], ""
    for block in text.split("\n\n"):
        pieces = [block] if len(block) <= limit else _hard_split(block, limit)
        for piece in pieces:
            candidate = f"{current}\n\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                parts.append(current)
                current = piece
    return [p for p in parts + [current] if p]


def _hard_split(block: str, limit: int) -> list[str]:
    out, current = [], ""
    for line in block.split("\n"):
        while len(line) > limit:
            out.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) + 1 > limit:
            out.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    return out + ([current] if current else [])
