"""What a card says differently in English: the procedure's English name and one-line summary, and one notice
that the details are in Vietnamese, naming the procedure as counter staff know it.

The facts themselves (papers, notes, legal documents, offices) exist only in Vietnamese and are shown as they are.
"""
from __future__ import annotations

from bot.answering.compact import split_summary

ENGLISH = "en"
LANGUAGE_NAMES = {"en": "English", "vi": "Tiếng Việt"}  # each language's own name, as on a language switch


def display_name(proc, t) -> str:
    """The procedure's name in the citizen's language (its English name when there is one)."""
    return (proc.data.get("name_en") or proc.name) if t.language == ENGLISH else proc.name


def vietnamese_notice(proc, t) -> str:
    """Said once on an English card: the details are in Vietnamese; the name to show at the counter."""
    return t("The details below (papers, times, notes, legal documents) are in Vietnamese, as on the official "
             "record; counter staff use the Vietnamese names, so ask for “{name}”.", name=proc.name)


def summary_parts(proc, t) -> tuple[str, str]:
    """(the summary's first sentences, the rest for "Chi tiết"), in the citizen's language."""
    return split_summary(proc.data.get("summary_en" if t.language == ENGLISH else "summary", ""))


def card_heading(proc, t) -> tuple[str, str, str]:
    """(title, intro, subtitle) of a procedure card in the citizen's language; the intro is the summary's
    first sentences (the rest is in the details)."""
    d, summary = proc.data, summary_parts(proc, t)[0]
    if t.language != ENGLISH:
        return proc.name, summary, d.get("field", "")
    intro = " ".join(x for x in (summary, vietnamese_notice(proc, t)) if x)
    subtitle = proc.name if d.get("name_en") else d.get("field", "")
    return display_name(proc, t), intro, subtitle
