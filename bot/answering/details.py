"""The "Chi tiết" part of a procedure card: everything the file says that the short part leaves out.

Steps, who may file, conditions, results, every note about papers and fees, every legal basis,
neighbouring procedures, source and date checked, the hotline. Nothing of the file is cut here
(tests/answering/test_nothing_dropped.py renders every procedure and checks it). Also the small
helpers both parts of the card use.
"""
from __future__ import annotations

from bot.answering.answer import Link, Section
from bot.answering.compact import case_lines
from bot.answering.languages import summary_parts


def mark(text: str, key: str, pending, t) -> str:
    """The text, with "(chờ xác nhận)" beside it when a review item is about `key`."""
    return f"{text} {t('(to be confirmed)')}" if key in pending else text


def method_label(kind: str, t) -> str:
    return {"in_person": t("In person"), "online": t("Online"), "post": t("By post")}[kind]


def office_lines(office: dict, t) -> list[str]:
    """Address, hours and phone of one office, formatted for the citizen's language."""
    lines = [office["name"], t("Address: {address}", address=office["address"])]
    by_days: dict[tuple, list[str]] = {}
    for h in office.get("hours", []):
        by_days.setdefault(tuple(sorted(h["days"], key=int)), []).append(f"{t.time(h['open'])}–{t.time(h['close'])}")
    for days, spans in by_days.items():
        lines.append(t("Hours: {days}, {spans}", days=t.weekdays(list(days)), spans=", ".join(spans)))
    if office.get("phone"):
        lines.append(t("Phone: {phone}", phone=office["phone"]))
    return lines


def bullets(items) -> list[str]:
    return [f"• {item}" for item in items if item]


def paper_notes(data: dict, t) -> list[str]:
    """Forms and notes of each paper, then the notes about the papers as a whole."""
    lines = []
    for doc in data.get("documents", []):
        if doc.get("section") == "luu_y":
            lines.append(f"• {doc['name']}")
            continue
        if doc.get("form"):
            lines.append(t("• {paper}: form {form}", paper=doc["name"], form=doc["form"]))
        if doc.get("note"):
            lines.append(f"• {doc['name']}: {doc['note']}")
    return lines + bullets(data.get("document_notes", []))


def fee_notes(data: dict, t, said: str = "") -> list[str]:
    """Each method's note, its fee in words when the short part showed the number, and its time and fee as
    written when the short part (`said`) gave them shortened (an ending they share said once)."""
    out = []
    for m in data.get("methods", []):
        label = method_label(m["kind"], t)
        if m.get("time") and said and m["time"] not in said:
            out.append(f"• {label}: {m['time']}")
        if m.get("fee_text") and ("fee" in m or (said and m["fee_text"] not in said)):
            out.append(f"• {label}: {m['fee_text']}")
        if m.get("note"):
            out.append(f"• {label}: {m['note']}")
    return out


def results_lines(data: dict) -> list[str]:
    return [f"• {r['name']}" + (f" ({r['code']})" if r.get("code") else "") for r in data.get("results", [])]


def legal_lines(data: dict) -> list[str]:
    """Every legal basis: its number and its title."""
    out = []
    for law in data.get("legal_basis", []):
        code, title = law.get("code", ""), law["title"]
        out.append(f"• {code} — {title}" if code and code not in title else f"• {title}")
    return out


def distinguish_lines(data: dict, knowledge) -> list[str]:
    return [f"• {d['hint']}" for d in data.get("distinguish", []) if knowledge.find(d["id"])]


def source_section(proc, t) -> Section:
    d = proc.data
    lines = [t("Portal code: {codes}", codes=", ".join(proc.codes))] if proc.codes else []
    lines.append(t("Checked on {date}", date=t.date(d["checked"])) if d.get("checked") else t("Check date unknown"))
    return Section("source", t("Source"), lines, [Link(t("Portal page"), d["source"])] if d.get("source") else [])


def help_section(knowledge, proc, t, dated: bool = True) -> Section:
    """Who to ask: the hotline and the provincial centre (address, hours), and when the facts were checked."""
    lines = [t("Hotline: {hotline}", hotline=knowledge.province["hotline"])] if knowledge.province.get("hotline") else []
    centre = next((o for o in knowledge.offices.values() if o.get("kind") == "province_centre"), None)
    if centre:
        lines += ["", *office_lines(centre, t)]
    if dated and proc.data.get("checked"):
        lines += ["", t("Checked on {date}", date=t.date(proc.data["checked"]))]
    return Section("help", t("Questions? Ask here"), lines)


def details_sections(knowledge, proc, t, pending=frozenset(), said: str = "") -> list[Section]:
    """The details, in reading order; empty parts left out. `said`: the short part's fee and time lines."""
    d, more = proc.data, summary_parts(proc, t)[1]
    parts = [("summary", t("About this procedure"), [more] if more else []),
             ("cases", t("Papers needed only in some cases"), case_lines(d, t)),
             ("who", t("Who may file"), [d["who"]] if d.get("who") else []),
             ("conditions", t("Conditions"), bullets(d.get("conditions", []))),
             ("steps", t("Steps"), [f"{n}. {step}" for n, step in enumerate(d.get("steps", []), 1)]),
             ("paper_notes", t("About the papers"), paper_notes(d, t)),
             ("fee_notes", t("About the fee and time"), fee_notes(d, t, said)),
             ("results", t("What you receive"), results_lines(d)),
             ("distinguish", t("Not quite this one?"), distinguish_lines(d, knowledge)),
             ("legal_basis", t("Legal basis"), legal_lines(d))]
    sections = [Section(key, mark(title, key, pending, t), lines or [t("Not stated yet; ask the receiving officer.")])
                for key, title, lines in parts if lines or key in pending]  # a doubt about a missing fact is shown too
    return sections + [source_section(proc, t), help_section(knowledge, proc, t, dated=False)]
