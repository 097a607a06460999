"""What a card says differently in English: the procedure's English name and one-line summary, and one notice
that the details are in Vietnamese, naming the procedure as counter staff know it.

The facts themselves (papers, notes, legal documents, offices) exist only in Vietnamese and are shown as they are.
"""
from __future__ import annotations

ENGLISH = "en"
LANGUAGE_NAMES = {"en": "English", "vi": "Tiếng Việt"}  # each language's own name, as on a language switch


def display_name(proc, t) -> str:
    """The procedure's name in the citizen's language (its English name when there is one)."""
    return (proc.data.get("name_en") or proc.name) if t.language == ENGLISH else proc.name


def vietnamese_notice(proc, t) -> str:
    """Said once on an English card: the details are in Vietnamese; the name to show at the counter."""
    return t("The details below (papers, times, notes, legal documents) are in Vietnamese, as on the official "
             "record; counter staff use the Vietnamese names, so ask for “{name}”.", name=proc.name)


def card_heading(proc, t) -> tuple[str, str, str]:
    """(title, intro, subtitle) of a procedure card in the citizen's language."""
    d = proc.data
    if t.language != ENGLISH:
        return proc.name, d.get("summary", ""), d.get("field", "")
    intro = " ".join(x for x in (d.get("summary_en", ""), vietnamese_notice(proc, t)) if x)
    subtitle = proc.name if d.get("name_en") else d.get("field", "")
    return display_name(proc, t), intro, subtitle
