"""Procedure cards: the facts of one procedure laid out as answer sections (plain text)."""
from __future__ import annotations

from bot.answering.answer import PROCEDURE, Answer, Button, Link, Section, lead_with



def method_label(kind: str, t) -> str:
    return {"in_person": t("In person"), "online": t("Online"), "post": t("By post")}[kind]


def level_label(level: str, t) -> str:
    """Which kind of office takes the procedure, in the citizen's words."""
    return {"xa": t("At the Public Administrative Service Centre of your commune/ward."),
            "tinh": t("At the provincial Public Administrative Service Centre."),
            "police": t("At the police (commune/ward police or the provincial police, as below)."),
            "land_registry": t("At the land registration office (Văn phòng đăng ký đất đai) or its branch."),
            "social_insurance": t("At the social insurance office (Bảo hiểm xã hội).")}.get(level) or level


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


def documents_section(data: dict, t) -> Section:
    lines = []
    for doc in data.get("documents", []):
        if doc.get("section") == "luu_y":
            continue
        line = f"☐ {doc['name']}" + (f" — {doc['count']}" if doc.get("count") else "")
        if doc.get("section") == "xuat_trinh":
            line += " " + t("(to show)")
        if doc.get("when"):
            line += f" ({doc['when']})"
        lines.append(line)
    notes = [d["name"] for d in data.get("documents", []) if d.get("section") == "luu_y"]
    lines += [f"• {n}" for n in [*data.get("document_notes", [])[:3], *notes[:2]]]
    return Section("documents", t("Documents to bring"), lines or [t("The record lists no documents; ask the receiving officer.")])


def offices_for(data: dict, knowledge, ward: str | None) -> list[dict]:
    """The offices that take the procedure, the citizen's own ward centre first when known."""
    where = data.get("where", {})
    ids = list(where.get("offices", []))
    unit_office = knowledge.unit_office(ward)
    if where.get("level") == "xa" and unit_office:
        ids = [unit_office] + [i for i in ids if i != unit_office]
    return [knowledge.offices[i] for i in ids if i in knowledge.offices]


def where_section(data: dict, knowledge, t, ward: str | None) -> Section:
    where = data.get("where", {})
    level = where.get("level") or ("xa" if "Cấp xã" in data.get("level", []) else "tinh")
    lines = [level_label(level, t)]
    if where.get("counter"):
        lines.append(t("Counter: {counter}", counter=where["counter"]))
    if where.get("note"):
        lines.append(where["note"])
    for office in offices_for(data, knowledge, ward)[:2]:
        lines += ["", *office_lines(office, t)]
    if level == "xa" and not ward:
        lines.append(t("Tell me which commune or ward you live in and I will name its centre."))
    return Section("where", t("Where to file"), lines)


def fee_line(method: dict, t) -> str:
    if "fee" in method:
        return t("Free") if method["fee"] == 0 else t.money(method["fee"])
    return method.get("fee_text") or t("Fee not stated; ask the receiving officer")


def fee_time_section(data: dict, t) -> Section:
    lines = []
    for m in data.get("methods", []):
        time = m.get("time") or t("time not stated")
        lines.append(t("{method}: {time} · fee: {fee}", method=method_label(m["kind"], t), time=time, fee=fee_line(m, t)))
        if m.get("note"):
            lines.append(f"  {m['note']}")
    if data.get("fee_exempt"):
        lines.append(t("Exempt: {who}", who=data["fee_exempt"]))
    return Section("fee_time", t("Fee and processing time"), lines or [t("Not stated; ask the receiving officer.")])


def online_section(data: dict, knowledge, t) -> Section:
    online = data.get("online") or {}
    url = online.get("url") or knowledge.province.get("national_portal", "")
    can = any(m["kind"] == "online" for m in data.get("methods", [])) or bool(online)
    lines = [online.get("how") or (t("This procedure can be filed online.") if can else
                                   t("The portal lists no online filing for this procedure."))]
    return Section("online", t("Filing online"), lines, [Link(t("Open the portal"), url)] if url else [])


def status_section(knowledge, t) -> Section:
    links = [Link(s["name"], s["url"].replace("{code}", "")) for s in knowledge.province.get("status_lookup", [])]
    return Section("status", t("Checking your dossier"), [t("After filing, check your dossier's status with the code on your appointment slip:")], links)


def distinguish_section(data: dict, knowledge, t) -> Section | None:
    items = [(knowledge.find(d["id"]), d["hint"]) for d in data.get("distinguish", [])]
    lines = [f"• {hint}" for proc, hint in items if proc]
    return Section("distinguish", t("Not quite this one?"), lines) if lines else None


def source_section(proc, t) -> Section:
    d = proc.data
    lines = []
    if proc.codes:
        lines.append(t("Portal code: {codes}", codes=", ".join(proc.codes)))
    laws = [law.get("code") or law["title"] for law in d.get("legal_basis", [])[:4]]
    if laws:
        lines.append(t("Legal basis: {laws}", laws="; ".join(laws)))
    lines.append(t("Checked on {date}", date=t.date(d["checked"])) if d.get("checked") else t("Check date unknown"))
    return Section("source", t("Source"), lines, [Link(t("Portal page"), d["source"])] if d.get("source") else [])


def caution_text(proc, t) -> str:
    d = proc.data
    if d.get("review"):
        return t("Some details are still being confirmed by staff: {items}", items="; ".join(d["review"][:3]))
    if not proc.curated:
        return t("Taken from the National Public Service Portal; not yet reviewed by the province's staff.")
    return ""


def procedure_buttons(proc, data: dict, t) -> list[Button]:
    online_url = (data.get("online") or {}).get("url", "")
    pid = proc.id
    return [Button(t("Documents"), f"aspect:{pid}:documents"), Button(t("Where"), f"aspect:{pid}:where"),
            Button(t("Fee & time"), f"aspect:{pid}:fee"),
            *([Button(t("File online"), url=online_url)] if online_url else []),
            Button(t("Check a dossier"), "status"), Button("👍", f"feedback:{pid}:up"), Button("👎", f"feedback:{pid}:down")]


def procedure_card(knowledge, proc, t, aspect: str | None = None, ward: str | None = None) -> Answer:
    """The full answer for one procedure, leading with the aspect asked about."""
    d = proc.data
    sections = [documents_section(d, t), where_section(d, knowledge, t, ward), fee_time_section(d, t),
                online_section(d, knowledge, t), status_section(knowledge, t), source_section(proc, t)]
    if d.get("conditions"):
        sections.append(Section("conditions", t("Conditions"), [f"• {c}" for c in d["conditions"][:5]]))
    if (extra := distinguish_section(d, knowledge, t)) is not None:
        sections.append(extra)
    return Answer(PROCEDURE, proc.name, intro=d.get("summary", ""), subtitle=d.get("field", ""),
                  sections=lead_with(sections, aspect), buttons=procedure_buttons(proc, d, t),
                  caution=caution_text(proc, t), procedure_id=proc.id, aspect=aspect)


def checklist(knowledge, proc, t, ward: str | None = None) -> Answer:
    """A compact card for volunteers to forward: papers, where, fee and time, nothing else."""
    d = proc.data
    sections = [documents_section(d, t), where_section(d, knowledge, t, ward), fee_time_section(d, t)]
    sections[1].lines = sections[1].lines[:3]
    return Answer("checklist", proc.name, subtitle=", ".join(proc.codes), sections=sections,
                  caution=caution_text(proc, t), procedure_id=proc.id)
