"""Server-side pages of the web chat: a procedure's card (/p/<id>), its print view, the 404 page, QR codes.

Every string from the answer model is escaped here; only our own tags are added. Page chrome goes
through the translator like all user-facing text in Python.
"""
from __future__ import annotations

import io
from functools import lru_cache
from html import escape
from urllib.parse import quote

import segno

from bot.answering.answer import Answer, Section
from bot.answering.i18n import translator

SAFE_SCHEMES = ("https://", "http://")


def e(text) -> str:
    return escape(str(text), quote=True)


def page(title: str, body: str, t, classes: str = "") -> str:
    """A whole HTML page around `body` (already escaped); styles and scripts only from /static/."""
    site = t("Administrative procedures assistant")
    return f"""<!doctype html>
<html lang="{e(t.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} · {e(site)}</title>
<link rel="icon" href="/static/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css">
<script src="/static/page.js" defer></script>
</head>
<body class="{e(classes)}">
<header class="top"><p class="site-name">{e(site)}</p></header>
<main class="page">
{body}
</main>
</body>
</html>
"""


def link_html(label: str, url: str, t) -> str:
    """A link to an outside page, opened in a new tab; anything but http(s) is shown as text only."""
    if not url.lower().startswith(SAFE_SCHEMES):
        return e(label)
    new_tab = t("(opens in a new tab)")
    return f'<a href="{e(url)}" target="_blank" rel="noopener">{e(label)}<span class="visually-hidden"> {e(new_tab)}</span></a>'


def line_groups(lines: list[str]) -> list[list[str]]:
    """Lines split into groups at the blank lines the model uses as separators."""
    groups = [[]]
    for line in lines:
        if line.strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


def section_html(section: Section, t) -> str:
    out = [f'<section class="sec sec-{e(section.key)}">', f"<h2>{e(section.title)}</h2>"]
    for group in line_groups(section.lines):
        out.append('<ul class="lines">' + "".join(f"<li>{e(line)}</li>" for line in group) + "</ul>")
    if section.links:
        out.append('<ul class="links">' + "".join(f"<li>{link_html(k.label, k.url, t)}</li>" for k in section.links)
                   + "</ul>")
    out.append("</section>")
    return "\n".join(out)


def answer_html(answer: Answer, t) -> str:
    """The answer model as an article: title, subtitle, summary, its sections and details, then the caution."""
    out = ['<article class="answer">', f"<h1>{e(answer.title)}</h1>"]
    if answer.subtitle:
        out.append(f'<p class="subtitle">{e(answer.subtitle)}</p>')
    if answer.intro:
        out.append(f'<p class="intro">{e(answer.intro)}</p>')
    out += [section_html(s, t) for s in [*answer.sections, *answer.details]]  # a page shows everything
    if answer.caution:
        out.append(f'<p class="caution" role="note">{e(answer.caution)}</p>')
    out.append("</article>")
    return "\n".join(out)


def qr_figure(pid: str, t) -> str:
    alt, caption = t("QR code of this page"), t("Scan to open this page on a phone")
    src = f"/qr/{quote(pid, safe='/')}.svg"
    return (f'<figure class="qr"><img src="{e(src)}" width="168" height="168" alt="{e(alt)}">'
            f"<figcaption>{e(caption)}</figcaption></figure>")


def page_path(pid: str) -> str:
    """The address of a procedure's page on this site."""
    return f"/p/{quote(pid, safe='/')}"


def page_nav(pid: str, t, printing: bool) -> str:
    href, back = page_path(pid), t("Ask the assistant")
    if printing:
        full, print_label = t("Full details"), t("Print")
        extra = (f'<a href="{e(href)}">{e(full)}</a>'
                 f'<button type="button" id="print-button" class="chip print-button">{e(print_label)}</button>')
    else:
        checklist = t("Printable checklist")
        extra = f'<a href="{e(href)}?print=1">{e(checklist)}</a>'
    return f'<nav class="page-nav"><a href="/">← {e(back)}</a>{extra}</nav>'


def procedure_html(answer: Answer, pid: str, t, printing: bool = False) -> str:
    """GET /p/<id>: the full card, or (print view) the checklist with a print button; both with a QR code."""
    body = f"{page_nav(pid, t, printing)}\n{answer_html(answer, t)}\n{qr_figure(pid, t)}"
    return page(answer.title, body, t, "procedure-page print-view" if printing else "procedure-page")


def not_found_html(t) -> str:
    title, back = t("Page not found"), t("Ask the assistant")
    text = t("There is nothing at this address. Ask the assistant about your procedure instead.")
    body = (f'<article class="answer"><h1>{e(title)}</h1><p class="intro">{e(text)}</p>'
            f'<p><a class="chip" href="/">← {e(back)}</a></p></article>')
    return page(title, body, t, "procedure-page")


def error_message(status: int) -> str:
    """What the citizen reads when the API refuses or fails."""
    t = translator()
    messages = {404: t("This address does not exist."),
                405: t("This address does not accept that kind of request."),
                413: t("Your question is too long. Please shorten it."),
                500: t("Sorry, something went wrong. Please try again in a moment.")}
    return messages.get(status) or t("The request could not be read. Please reload the page and try again.")


@lru_cache(maxsize=512)
def qr_svg(url: str) -> bytes:
    """An SVG QR code of `url`: black on white, a quiet zone, scalable (viewBox, no fixed size)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=4, border=4, dark="#000", light="#fff",
                                                  omitsize=True, title="QR")
    return out.getvalue()
