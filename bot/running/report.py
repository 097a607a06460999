"""`python -m bot report [--days N] [--html FILE]`: usage figures for staff, as text or a self-contained HTML page.

The figures come from `bot.running.stats` (the same ones /stats shows in Telegram). The HTML report has no
external resources: charts are inline SVG, styles inline, every piece of text escaped.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from html import escape
from pathlib import Path

from bot.running import stats
from bot.answering.i18n import translator

WIDTH, HEIGHT, PAD = 720, 220, 36


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"


def label(pid: str, names: dict[str, str]) -> str:
    """'Đăng ký khai sinh (ho-tich/khai-sinh)', or the bare id when the name is unknown."""
    return f"{names[pid]} ({pid})" if pid in names else pid


def title(fig: stats.Figures, t) -> str:
    first, last = fig.days[0].day.strftime("%d/%m/%Y"), fig.days[-1].day.strftime("%d/%m/%Y")
    return t("Usage report: {days} days, {first} to {last}", days=len(fig.days), first=first, last=last)


def headline(fig: stats.Figures, t) -> list[str]:
    last_day = (t("Questions today: {n}", n=fig.asked_today) if fig.today == stats.today_in()
                else t("Questions on {day}: {n}", day=fig.today.strftime("%d/%m/%Y"), n=fig.asked_today))
    return [last_day,
            t("Questions in these {days} days: {n}; answered: {rate}", days=len(fig.days), n=fig.asked,
              rate=percent(fig.rate))]


def day_line(d: stats.Day, t) -> str:
    return t("{day}: {asked} asked, {answered} answered", day=d.day.strftime("%d/%m"), asked=d.asked, answered=d.answered)


def render_text(fig: stats.Figures, names: dict[str, str] | None = None, t=None) -> str:
    """The figures as plain text (stdout, and /stats in Telegram)."""
    t, names = t or translator("vi"), names or {}
    lines = [title(fig, t), *headline(fig, t), "", t("Most asked procedures") + ":"]
    lines += [f"  {i}. {label(pid, names)}: {n}" for i, (pid, n) in enumerate(fig.top_procedures, 1)] or ["  " + t("none")]
    lines += ["", t("Questions the assistant could not answer") + ":"]
    lines += [f"  {i}. “{text}” ×{n}" for i, (text, n) in enumerate(fig.top_unanswered, 1)] or ["  " + t("none")]
    if fig.failed:
        lines += ["", t("Answers that failed to build (the last good answer or an apology was sent): {n}; "
                        "run check-knowledge", n=fig.failed)]
    if fig.feedback:
        lines += ["", t("Feedback by procedure") + ":"]
        lines += [f"  {label(pid, names)}: 👍 {v['up']} · 👎 {v['down']}" for pid, v in fig.feedback.items()]
    if desk_in_use(fig):
        lines += ["", *desk_lines(fig.desk, t)]
    return "\n".join(lines)


def desk_in_use(fig: stats.Figures) -> bool:
    """The desk's part is shown only where a desk is in use (tickets opened, or suggestions kept)."""
    return fig.desk is not None and bool(fig.desk.opened or fig.desk.suggestions)


def wait_text(wait: dt.timedelta | None, t) -> str:
    if wait is None:
        return "–"
    hours, minutes = divmod(round(wait.total_seconds() / 60), 60)
    return t("{h} h {m} min", h=hours, m=minutes) if hours else t("{m} min", m=minutes)


def desk_lines(desk: stats.DeskFigures, t) -> list[str]:
    """The desk's figures: tickets opened and answered by a person, the median wait, per ward, alias suggestions."""
    lines = [t("Handed to a person") + ":",
             t("Tickets opened: {opened}; answered: {answered}; median time to first answer: {wait}",
               opened=desk.opened, answered=desk.answered, wait=wait_text(desk.median_wait, t))]
    lines += [t("  {ward}: {opened} opened, {answered} answered", ward=w, opened=n, answered=a) for w, n, a in desk.wards]
    if desk.suggestions:
        lines += [t("Alias suggestions from the desk (not applied):")]
        lines += [f"  “{alias}” → {pid}" for alias, pid in desk.suggestions[:20]]
    return lines


def daily_text(fig: stats.Figures, t) -> str:
    return "\n".join([t("Questions per day") + ":", *("  " + day_line(d, t) for d in fig.days)])


def _svg(body: list[str], caption: str, height: int = HEIGHT) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(caption)}" '
            f'viewBox="0 0 {WIDTH} {height}" width="100%" style="max-width:{WIDTH}px">'
            f"<title>{escape(caption)}</title>{''.join(body)}</svg>")


def _x_labels(days: list[stats.Day], step: float) -> list[str]:
    every = max(1, len(days) // 10)
    return [f'<text x="{PAD + (i + 0.5) * step:.1f}" y="{HEIGHT - 8}" font-size="10" text-anchor="middle">'
            f"{d.day:%d/%m}</text>" for i, d in enumerate(days) if i % every == 0 or i == len(days) - 1]


def _axes(top_label: str) -> list[str]:
    bottom = HEIGHT - PAD
    return [f'<line x1="{PAD}" y1="{bottom}" x2="{WIDTH - 8}" y2="{bottom}" stroke="#888"/>',
            f'<line x1="{PAD}" y1="12" x2="{WIDTH - 8}" y2="12" stroke="#ddd"/>',
            f'<text x="{PAD - 4}" y="16" font-size="10" text-anchor="end">{escape(top_label)}</text>',
            f'<text x="{PAD - 4}" y="{bottom}" font-size="10" text-anchor="end">0</text>']


def questions_chart(days: list[stats.Day], t) -> str:
    """Bars: questions asked per day, the answered part darker."""
    top = max([d.asked for d in days] + [1])
    step, plot_h, bottom = (WIDTH - PAD - 8) / max(len(days), 1), HEIGHT - PAD - 12, HEIGHT - PAD
    body = _axes(str(top))
    for i, d in enumerate(days):
        x, w = PAD + i * step + step * 0.15, step * 0.7
        tip = escape(day_line(d, t))
        for value, colour in ((d.asked, "#9ecae1"), (d.answered, "#3182bd")):
            h = plot_h * value / top
            body.append(f'<rect class="bar" x="{x:.1f}" y="{bottom - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
                        f'fill="{colour}"><title>{tip}</title></rect>')
    legend = [f'<rect x="{WIDTH - 230 + i * 115}" y="2" width="10" height="10" fill="{colour}"/>'
              f'<text x="{WIDTH - 216 + i * 115}" y="11" font-size="11">{escape(name)}</text>'
              for i, (name, colour) in enumerate(((t("Question"), "#9ecae1"), (t("Answered"), "#3182bd")))]
    return _svg(body + legend + _x_labels(days, step), t("Questions per day"))


def rate_chart(days: list[stats.Day], t) -> str:
    """Line: share of questions answered per day (days without questions left out)."""
    step, plot_h, bottom = (WIDTH - PAD - 8) / max(len(days), 1), HEIGHT - PAD - 12, HEIGHT - PAD
    points = [(PAD + (i + 0.5) * step, bottom - plot_h * d.rate, d) for i, d in enumerate(days) if d.rate is not None]
    body = _axes("100%")
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
        body.append(f'<polyline class="line" points="{path}" fill="none" stroke="#31a354" stroke-width="2"/>')
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#31a354"><title>{d.day:%d/%m}: {percent(d.rate)}'
                 f"</title></circle>" for x, y, d in points]
    return _svg(body + _x_labels(days, step), t("Share of questions answered"))


def procedures_chart(items: list[tuple[str, int]], names: dict[str, str], t) -> str:
    """Horizontal bars: the most asked procedures."""
    row, text_w = 26, 330
    height = max(len(items), 1) * row + 10
    top = max([n for _, n in items] + [1])
    body = []
    for i, (pid, n) in enumerate(items):
        y, w = 6 + i * row, (WIDTH - text_w - 50) * n / top
        name = label(pid, names)
        short = name if len(name) <= 52 else name[:51] + "…"
        body += [f'<text x="{text_w - 6}" y="{y + 15}" font-size="12" text-anchor="end">{escape(short)}'
                 f"<title>{escape(name)}</title></text>",
                 f'<rect class="bar" x="{text_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="#756bb1"/>',
                 f'<text x="{text_w + w + 4:.1f}" y="{y + 15}" font-size="12">{n}</text>']
    return _svg(body, t("Most asked procedures"), height)


def table(headers: list[str], rows: list[list], empty: str) -> str:
    if not rows:
        return f"<p>{escape(empty)}</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE = ("body{font-family:system-ui,sans-serif;max-width:780px;margin:2em auto;padding:0 1em;color:#222}"
         "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}table{border-collapse:collapse;width:100%}"
         "td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left}.figures{font-size:1.1em}")


def render_html(fig: stats.Figures, names: dict[str, str] | None = None, t=None) -> str:
    """The whole report as one self-contained HTML page in Vietnamese."""
    t, names = t or translator("vi"), names or {}
    heading = title(fig, t)
    feedback = [[label(pid, names), v["up"], v["down"]] for pid, v in fig.feedback.items()]
    parts = [
        f"<h1>{escape(heading)}</h1>", *(f'<p class="figures">{escape(f)}</p>' for f in headline(fig, t)),
        f"<h2>{escape(t('Questions per day'))}</h2>", questions_chart(fig.days, t),
        f"<h2>{escape(t('Share of questions answered'))}</h2>", rate_chart(fig.days, t),
        f"<h2>{escape(t('Most asked procedures'))}</h2>",
        procedures_chart(fig.top_procedures, names, t) if fig.top_procedures else f"<p>{escape(t('none'))}</p>",
        f"<h2>{escape(t('Questions the assistant could not answer'))}</h2>",
        table([t("Question"), t("Times asked")], [list(r) for r in fig.top_unanswered], t("none")),
        f"<h2>{escape(t('Feedback by procedure'))}</h2>",
        table([t("Procedure"), "👍", "👎"], feedback, t("none")),
        *(desk_html(fig.desk, t) if desk_in_use(fig) else []),
    ]
    return (f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>{escape(heading)}</title>'
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n")


def desk_html(desk: stats.DeskFigures, t) -> list[str]:
    head = desk_lines(desk, t)[1]
    return [f"<h2>{escape(t('Handed to a person'))}</h2>", f'<p class="figures">{escape(head)}</p>',
            table([t("Commune/ward"), t("Opened"), t("Answered")], [list(r) for r in desk.wards], t("none")),
            f"<h2>{escape(t('Alias suggestions from the desk (not applied):'))}</h2>",
            table([t("Question"), t("Procedure")], [list(r) for r in desk.suggestions], t("none"))]


def procedure_names(knowledge_dir) -> dict[str, str]:
    """Procedure id → name from the knowledge folder (empty if it cannot be read)."""
    try:
        from bot.knowledge.loader import read_knowledge

        knowledge, _ = read_knowledge(Path(knowledge_dir))
    except Exception:  # noqa: BLE001 - names are a nicety; the figures stand without them
        return {}
    return {pid: p.name for pid, p in knowledge.procedures.items()}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--days", type=int, default=30, help="how many days back, today included (default 30)")
    parser.add_argument("--html", metavar="FILE", type=Path, help="also write a self-contained HTML report to FILE")
    parser.add_argument("--data-dir", type=Path, help="folder holding state.json (default: BOT_DATA_DIR)")
    parser.add_argument("--knowledge", type=Path, help="knowledge folder, for procedure names (default: BOT_KNOWLEDGE_DIR)")
    parser.add_argument("--until", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="last day of the report (default: today, Vietnam time)")


def command(args, out=None) -> int:
    from bot.running.settings import load_settings

    out, settings = out or sys.stdout, load_settings()
    data_dir = Path(args.data_dir or settings.bot_data_dir)
    if not settings.bot_state_url and not ((data_dir / "journal").is_dir() or (data_dir / "state.json").is_file()):
        print(f"No state in {data_dir}: nothing recorded yet (set BOT_DATA_DIR or --data-dir).", file=sys.stderr)
        return 1
    days = max(args.days, 1)
    questions, feedback, tickets = asyncio.run(read_state(settings.replace(bot_data_dir=str(data_dir)), days, args.until))
    fig = stats.figures(questions, feedback, days=days, today=args.until, top=10, tickets=tickets)
    t, names = translator("vi"), procedure_names(args.knowledge or settings.bot_knowledge_dir)
    print(render_text(fig, names, t) + "\n\n" + daily_text(fig, t), file=out)
    if args.html:
        args.html.write_text(render_html(fig, names, t), encoding="utf-8")
        print(f"HTML report: {args.html}", file=out)
    return 0


async def read_state(settings, days: int, until: dt.date | None) -> tuple[list, list, list]:
    """Only the days the report shows, read beside a running bot (the embedded store without its lock)."""
    from bot.running.state import open_store

    store = open_store(settings, readonly=True)
    if hasattr(store, "open"):
        await store.open()
    try:
        since = stats.first_utc_day(days, until)
        return await store.questions(since), await store.feedback(since), store.tickets()
    finally:
        await store.aclose()
