"""Procedure cards: the facts of one procedure laid out as answer sections (plain text)."""
from __future__ import annotations

from bot.answering.answer import DETAILS, PROCEDURE, Answer, Button, Link, Section, lead_with
from bot.answering.compact import long_case, method_lines, paper_groups
from bot.answering.languages import card_heading, display_name, vietnamese_notice
from bot.answering.details import details_sections, help_section, mark, method_label, office_lines
from bot.knowledge.review import pending as review_pending
from bot.knowledge.review import review_items


def level_label(level: str, t) -> str:
    """Which kind of office takes the procedure, in the citizen's words."""
    return {"xa": t("At a commune/ward Public Administrative Service Centre."),
            "tinh": t("At the provincial Public Administrative Service Centre."),
            "police": t("At the police (Công an)."),
            "land_registry": t("At the land registration office (Văn phòng đăng ký đất đai) or its branch."),
            "social_insurance": t("At the social insurance office (Bảo hiểm xã hội).")}.get(level) or level


def document_line(doc: dict, t, when: bool = True) -> str:
    line = f"☐ {doc['name']}" + (f" — {doc['count']}" if doc.get("count") else "")
    if doc.get("section") == "xuat_trinh":
        line += " " + t("(to show)")
    if when and doc.get("when"):
        line += f" ({doc['when']})"
    return line


def documents_section(data: dict, t, pending=frozenset(), compact: bool = True) -> Section:
    """The papers to bring, each with its count; notes about them are in the details. Compact (the card): the
    papers needed only in some case come last, under one line, their long cases in the details."""
    papers = [doc for doc in data.get("documents", []) if doc.get("section") != "luu_y"]
    always, cases = paper_groups(papers) if compact else (papers, [])
    lines = [document_line(doc, t) for doc in always]
    if cases:
        moved = any(long_case(doc) for doc in cases)
        heading = t("Depending on your case (which case: see Details):") if moved else t("Depending on your case:")
        lines += [""] * bool(lines) + [heading, *(document_line(doc, t, when=not long_case(doc)) for doc in cases)]
    title = mark(t("Documents to bring"), "documents", pending, t)
    return Section("documents", title, lines or [t("The record lists no documents; ask the receiving officer.")])


def offices_for(data: dict, knowledge, ward: str | None) -> list[dict]:
    """The offices to name: the citizen's own ward centre when known (never other wards' centres), then
    the provincial offices on file (police, land registry ...)."""
    where = data.get("where", {})
    ids = [i for i in where.get("offices", []) if i in knowledge.offices]
    centres = [i for i in ids if knowledge.offices[i].get("kind") == "commune_centre"]
    chosen = [i for i in ids if i not in centres]
    own = knowledge.unit_office(ward)
    if own in knowledge.offices and (centres or where_level(data) == "xa"):
        chosen = [own] + [i for i in chosen if i != own]
    return [knowledge.offices[i] for i in chosen]


def where_level(data: dict) -> str:
    """The curated level, else the police when the record's agency is the police, else by the portal level."""
    where = data.get("where", {})
    if where.get("level"):
        return where["level"]
    if "công an" in (data.get("agencies") or {}).get("performing", "").lower():
        return "police"
    return "xa" if "Cấp xã" in data.get("level", []) else "tinh"


def where_section(data: dict, knowledge, t, ward: str | None, pending=frozenset()) -> Section:
    """Where to file: the procedure's own note (or the authority), counter, the citizen's office."""
    where, level = data.get("where", {}), where_level(data)
    agency = (data.get("agencies") or {}).get("performing", "")
    first = where.get("note") or level_label(level, t)
    lines = [mark(first, "where", pending, t)]
    if not where and agency:
        lines.append(t("Handled by: {agency}", agency=agency))
    if where.get("counter"):
        lines.append(t("Counter: {counter}", counter=where["counter"]))
    offices = offices_for(data, knowledge, ward)
    for office in offices[:2]:
        lines += ["", *office_lines(office, t)]
    if level == "xa" and not ward:
        lines.append(t("Tell me your commune or ward and I will name its centre."))
    return Section("where", t("Where to file"), lines)


def fee_line(method: dict, t) -> str:
    if "fee" in method:
        return t("Free") if method["fee"] == 0 else t.money(method["fee"])
    return method.get("fee_text") or t("Fee not stated; ask the receiving officer")


def fee_time_section(data: dict, t, pending=frozenset()) -> Section:
    """Time and fee per way of filing; the notes about them are in the details."""
    def time(m):
        return mark(m.get("time") or t("time not stated"), "time", pending, t)

    def fee(m):
        return mark(fee_line(m, t), "fee", pending, t)

    lines = method_lines(data.get("methods", []), time, fee, method_label, t)
    if data.get("fee_exempt"):
        lines.append(t("Exempt: {who}", who=data["fee_exempt"]))
    return Section("fee_time", t("Fee and processing time"), lines or [t("Not stated; ask the receiving officer.")])


def online_section(data: dict, knowledge, t, pending=frozenset()) -> Section:
    online = data.get("online") or {}
    url = online.get("url") or knowledge.province.get("national_portal", "")
    can = any(m["kind"] == "online" for m in data.get("methods", [])) or bool(online)
    line = online.get("how") or (t("This procedure can be filed online.") if can else
                                 t("The portal lists no online filing for this procedure."))
    return Section("online", t("Filing online"), [mark(line, "online", pending, t)],
                   [Link(t("Open the portal"), url)] if url else [])


def status_section(knowledge, t) -> Section:
    links = [Link(s["name"], s["url"].replace("{code}", "")) for s in knowledge.province.get("status_lookup", [])]
    return Section("status", t("Checking your dossier"), [t("Look it up with the dossier code on your appointment slip:")], links)


def caution_text(proc, t) -> str:
    """One short line for the end of the card; staff's own wording never reaches citizens."""
    if review_items(proc.data):
        return t("Some details are still waiting for staff confirmation; please ask again at the centre.")
    if not proc.curated:
        return t("Taken from the National Public Service Portal; not yet reviewed by the province's staff.")
    return ""


def procedure_buttons(proc, data: dict, t) -> list[Button]:
    online_url = (data.get("online") or {}).get("url", "")
    pid = proc.id
    return [Button(t("Documents"), f"aspect:{pid}:documents"), Button(t("Where"), f"aspect:{pid}:where"),
            Button(t("Fee & time"), f"aspect:{pid}:fee"), Button(t("Details"), f"details:{pid}"),
            *([Button(t("File online"), url=online_url)] if online_url else []),
            Button(t("Check a dossier"), "status"), Button("👍", f"feedback:{pid}:up"), Button("👎", f"feedback:{pid}:down")]


def procedure_card(knowledge, proc, t, aspect: str | None = None, ward: str | None = None) -> Answer:
    """What the citizen must do first (papers, where, fee and time, online, status), leading with the aspect
    asked about; then the details (steps, who, conditions, results, notes, legal bases, source)."""
    d, pending = proc.data, review_pending(proc.data)
    fee_time = fee_time_section(d, t, pending)
    sections = [documents_section(d, t, pending), where_section(d, knowledge, t, ward, pending),
                fee_time, online_section(d, knowledge, t, pending), status_section(knowledge, t)]
    details = details_sections(knowledge, proc, t, pending, said="\n".join(fee_time.lines))
    if aspect == "conditions":  # asked about: it leads the short part
        sections += [s for s in details if s.key == "conditions"]
        details = [s for s in details if s.key != "conditions"]
    title, intro, subtitle = card_heading(proc, t)  # English: English name and summary, the Vietnamese notice
    return Answer(PROCEDURE, title, intro=intro, subtitle=subtitle,
                  sections=lead_with(sections, aspect), buttons=procedure_buttons(proc, d, t),
                  caution=caution_text(proc, t), procedure_id=proc.id, aspect=aspect, details=details)


def details_answer(card: Answer, t) -> Answer:
    """The "Chi tiết" part of a card as an answer of its own (Telegram's button)."""
    return Answer(DETAILS, card.title, subtitle=t("Details"), sections=card.details, procedure_id=card.procedure_id)


def checklist(knowledge, proc, t, ward: str | None = None) -> Answer:
    """A compact card to forward or print: papers, where (address, hours), fee and time, hotline, date checked."""
    d, pending = proc.data, review_pending(proc.data)
    sections = [documents_section(d, t, pending, compact=False), where_section(d, knowledge, t, ward, pending),
                fee_time_section(d, t, pending), help_section(knowledge, proc, t)]
    notice = vietnamese_notice(proc, t) if t.language == "en" else ""  # English: the counter's names are Vietnamese
    return Answer("checklist", display_name(proc, t), intro=notice, subtitle=", ".join(proc.codes), sections=sections,
                  caution=caution_text(proc, t), procedure_id=proc.id)
