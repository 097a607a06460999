"""Whatever passes, serves: before knowledge is accepted (check-knowledge, live reload, start-up) every answer is rendered.

Every procedure card in every aspect and its checklist, every office, FAQ and status answer, and the
full /p/<id> page, in every language, through every renderer (text, Telegram HTML, web JSON, web
page, Zalo). Any exception becomes a `file:line: key: …` problem, so the edit is refused before a citizen
sees it. This module sits at bot/'s root because it uses the core and the channels' renderers.
"""
from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

from bot.answering import replies
from bot.answering.answer import ASPECT_SECTION, Answer
from bot.answering.cards import checklist, procedure_card
from bot.answering.i18n import LANGUAGES, translator
from bot.answering.render import split_message, to_telegram_html, to_text
from bot.channels.web import pages
from bot.channels.zalo.render import to_zalo
from bot.knowledge import validate
from bot.knowledge.problems import LineFinder, Problem
from bot.knowledge.staff_text import st

ASPECTS = (None, *ASPECT_SECTION)
# Which key a failing function reads, to name it in the problem (innermost match wins).
KEY_OF = {"documents_section": "documents", "where_section": "where", "offices_for": "where.offices",
          "office_lines": "hours", "fee_time_section": "methods", "fee_line": "methods", "method_label": "methods",
          "online_section": "online", "status_section": "status_lookup", "source_section": "checked",
          "distinguish_section": "distinguish", "caution_text": "review", "procedure_buttons": "online",
          "summary_parts": "summary", "case_lines": "documents"}


def render_all(answer: Answer, pid: str = "") -> None:
    """Every channel's rendering of one answer (raises whatever a renderer raises)."""
    t = translator()
    split_message(to_telegram_html(answer))
    split_message(to_telegram_html(answer, details=True))  # the "Chi tiết" button's answer
    to_text(answer)
    to_zalo(answer, t, "https://tthc.example.vn")
    json.dumps(answer, default=vars, ensure_ascii=False)  # what to_dict() gives the web, without its deep copy
    if pid:
        pages.procedure_html(answer, pid, t, answer.kind == "checklist")


def failure(file: str, exc: Exception, default_key: str, root: Path) -> Problem:
    """An exception while rendering → a problem naming the file, the key the failing code read, and the error."""
    frames = [f.name for f in traceback.extract_tb(exc.__traceback__)]
    key = next((KEY_OF[name] for name in reversed(frames) if name in KEY_OF), default_key)
    try:
        text = (Path(file) if Path(file).exists() else root / file).read_text(encoding="utf-8")
        line = LineFinder(text, is_json=file.endswith(".json")).line_of(tuple(key.split(".")))
    except OSError:
        line = 1
    error = f"{type(exc).__name__}: {exc}"[:200]
    return Problem(file, line, key, st("this value makes the answer fail ({error}); correct it as the guide "
                                       "shows, then check again", error=error))


def procedure_problems(knowledge, proc, t, ward: str | None) -> list[Problem]:
    """The card in every aspect (an aspect reorders: the full renderings once, Telegram's for each) and the checklist."""
    try:
        render_all(procedure_card(knowledge, proc, t, None, ward), proc.id)
        for aspect in ASPECTS[1:]:
            split_message(to_telegram_html(procedure_card(knowledge, proc, t, aspect, ward)))
        render_all(checklist(knowledge, proc, t, ward), proc.id)
    except Exception as exc:  # noqa: BLE001 - any failure refuses the edit
        return [failure(proc.file, exc, "(answer)", knowledge.root)]
    return []


def other_problems(knowledge, t) -> list[Problem]:
    """Offices, FAQ, status, browsing, greeting, not-found: each as the citizen would get it."""
    local = (knowledge.root / "local").as_posix()
    found, jobs = [], [(f"{local}/offices.toml", "office", lambda i=i: replies.office(knowledge, i, t))
                       for i in [None, *knowledge.offices]]
    jobs += [(f"{local}/faq.toml", "faq", lambda e=e: replies.faq(e, t)) for e in knowledge.faq]
    jobs += [(f"{local}/province.toml", "status_lookup", lambda: replies.status(knowledge, ["000.00.23.H10-250703-0005"], t)),
             (f"{local}/province.toml", "hotline", lambda: replies.not_found(knowledge, list(knowledge.procedures)[:2], t)),
             (f"{local}/province.toml", "units", lambda: replies.ward_question(knowledge, t)),
             (f"{local}/province.toml", "name", lambda: replies.browse(knowledge, None, t))]
    jobs += [(p.file, "field", lambda f=p.field: replies.browse(knowledge, f, t))
             for p in {p.field: p for p in knowledge.procedures.values() if p.curated}.values()]
    for file, key, build in jobs:
        try:
            render_all(build())
        except Exception as exc:  # noqa: BLE001
            found.append(failure(file, exc, key, knowledge.root))
    return found


def render_problems(knowledge) -> list[Problem]:
    """Every answer the knowledge can give, rendered in every language and channel; one problem per failing file."""
    problems: dict[tuple, Problem] = {}
    wards = [None, *(u["name"] for u in knowledge.province.get("units", [])[:1])]
    for language in LANGUAGES:
        t = translator(language)
        for proc in knowledge.procedures.values():
            for ward in wards if proc.curated else [None]:  # a known ward names its centre
                for p in procedure_problems(knowledge, proc, t, ward):
                    problems.setdefault((p.file, p.key), p)
        for p in other_problems(knowledge, t):
            problems.setdefault((p.file, p.key), p)
    return list(problems.values())


def add_arguments(parser) -> None:
    validate.add_arguments(parser)


def command(args, out=sys.stdout) -> int:
    """check-knowledge: the files against the schema and each other, then every answer rendered."""
    return validate.command(args, out, serving_check=render_problems)
