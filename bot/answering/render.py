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
    for s in [*answer.sections, *answer.details]:  # a terminal shows both layers
        out += ["", f"{s.title}:", *s.lines, *(f"  {link.label}: {link.url}" for link in s.links)]
    if answer.caution:  # one short line at the end, after the facts
        out += ["", f"⚠ {answer.caution}"]
    choices = [b for b in answer.buttons if b.action.startswith(("pick:", "field:"))]
    if choices:
        out += ["", *(f"[{n}] {b.label}" for n, b in enumerate(choices, 1))]
    return "\n".join(out).strip()


def url_buttons(answer: Answer) -> frozenset[str]:
    """The links the answer's buttons open (a Telegram keyboard shows them under the message)."""
    return frozenset(b.url for b in answer.buttons if b.url)


def to_telegram_html(answer: Answer, details: bool = False, shown: frozenset[str] = frozenset()) -> str:
    """Telegram HTML (parse_mode=HTML): every string escaped, only b/i/a tags added. The short part of a
    card; its details only when asked (`details=True`, or the "Chi tiết" button's own answer). A link whose
    URL is in `shown` (the keyboard sent with the message has it as a button) is not repeated in the text."""
    out = [f"<b>{escape(answer.title)}</b>"]
    if answer.subtitle:
        out.append(f"<i>{escape(answer.subtitle)}</i>")
    if answer.intro:
        out.append(escape(answer.intro))
    for s in [*answer.sections, *(answer.details if details else [])]:
        out += ["", f"<b>{escape(s.title)}</b>", *(escape(line) for line in s.lines)]
        out += [f'🔗 <a href="{escape(link.url, quote=True)}">{escape(link.label)}</a>' for link in s.links
                if link.url not in shown]
    if answer.caution:  # one short line at the end, after the facts
        out += ["", f"⚠️ <i>{escape(answer.caution)}</i>"]
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
