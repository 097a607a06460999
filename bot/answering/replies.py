"""Answers other than a procedure card: choices, not-found, dossier status, offices, greeting, FAQ, browsing."""
from __future__ import annotations


from bot.answering.answer import (BROWSE, CLARIFY, FAQ, GREETING, NONE, NOTICE, OFFICE, STATUS, THANKS, WARD, Answer, Button,
                                  Link, Section)
from bot.answering.cards import fee_time_section, office_lines, where_level
from bot.answering.languages import display_name
from bot.understanding.intents import DOSSIER_CODE
from bot.understanding.normalize import fold


def clarify(knowledge, ids: list[str], t) -> Answer:
    """Ask the citizen to choose among 2-4 procedures."""
    procs = [p for p in (knowledge.find(i) for i in ids) if p][:4]
    lines = [f"{n}. {display_name(p, t)}" for n, p in enumerate(procs, 1)]
    return Answer(CLARIFY, t("Which procedure do you mean?"), intro=t("Choose one, or type its number."),
                  sections=[Section("choices", t("Closest matches"), lines)],
                  buttons=[Button(display_name(p, t)[:60], f"pick:{p.id}") for p in procs], candidates=[p.id for p in procs])


def not_found(knowledge, closest: list[str], t) -> Answer:
    """Say we do not know, offer the closest and the hotline."""
    hotline = knowledge.province.get("hotline", "")
    procs = [p for p in (knowledge.find(i) for i in closest[:2]) if p]
    return Answer(NONE, t("Sorry, I could not find a procedure for that."),
                  intro=t("Try naming the paper you need, e.g. “birth certificate” or “temporary residence”."),
                  sections=[Section("help", t("Other ways to get help"), [t("Hotline: {hotline}", hotline=hotline)])],
                  buttons=[Button(t("Did you mean: {name}", name=display_name(p, t)[:50]), f"pick:{p.id}") for p in procs]
                  + [Button(t("Browse procedures"), "browse"), Button(t("Talk to a person"), "handoff")],
                  candidates=[p.id for p in procs])


def valid_dossier_code(code: str) -> bool:
    return bool(DOSSIER_CODE.fullmatch(code.strip()))


def status(knowledge, codes: list[str], t, typed: str = "", proc=None, ward_office: str | None = None) -> Answer:
    """Where and how to check a dossier's status, with links filled in with the code when there is one;
    for a named procedure, its normal processing time and what to do when it is overdue."""
    code = codes[0] if codes else ""
    lines = [t("Dossier code: {code}", code=code)] if code else [t("Your dossier code is on the appointment slip (giấy hẹn) or in the portal's message.")]
    if typed and not code:
        lines.insert(0, t("“{typed}” does not look like a dossier code (e.g. 000.00.23.H10-250703-0005).", typed=typed))
    links, seen = [], []
    for s in knowledge.province.get("status_lookup", []):
        links.append(Link(s["name"], s["url"].replace("{code}", code)))
        seen.append(f"• {s['name']}: {s['what_you_see']}")
    sections = [Section("status", t("Where to look"), lines + seen, links)]
    if proc is not None:
        normal = fee_time_section(proc.data, t)
        sections.append(Section("time", t("Normal processing time: {name}", name=display_name(proc, t)), normal.lines))
    centre = knowledge.offices.get(ward_office or "ttpvhcc-tinh")
    overdue = [t("Past the date on your appointment slip? Call the hotline {hotline} or ask at the counter that took your dossier.",
                 hotline=knowledge.province.get("hotline", ""))]
    sections.append(Section("overdue", t("If it is overdue"), overdue + (office_lines(centre, t) if centre else [])))
    return Answer(STATUS, t("Checking a dossier's status"), intro=t("You can check it yourself, any time:"),
                  sections=sections, buttons=[Button(link.label, url=link.url) for link in links],
                  procedure_id=proc.id if proc is not None else None)


def office(knowledge, ward_office: str | None, t, ward: str | None = None) -> Answer:
    """The citizen's ward centre (when known) and the provincial centre: address, hours, phone. A ward
    whose centre is not on file yet is named, with the hotline and the portal; never another ward's centre."""
    centres = [i for i, o in knowledge.offices.items() if o["kind"] == "commune_centre"]
    known = (ward_office, "ttpvhcc-tinh") if ward else (ward_office, "ttpvhcc-tinh", *centres)
    ids = list(dict.fromkeys(i for i in known if i in knowledge.offices))[:3]
    sections = [Section("office", knowledge.offices[i]["name"], office_lines(knowledge.offices[i], t)[1:]
                        + knowledge.offices[i].get("notes", [])[:2]) for i in ids]
    hotline = knowledge.province.get("hotline", "")
    if ward and not ward_office:
        sections.insert(0, unlisted_centre(knowledge, ward, t))
    caution = t("Some office details are still being confirmed by staff.") if any(knowledge.offices[i].get("review") for i in ids) else ""
    return Answer(OFFICE, t("Public administrative service centres"), intro=t("Hotline: {hotline}", hotline=hotline),
                  sections=sections, caution=caution, buttons=[Button(t("Choose my commune/ward"), "ward")])


def unlisted_centre(knowledge, ward: str, t) -> Section:
    """A ward centre whose address is not on file: its name, the hotline and the portal."""
    name = t("Public Administrative Service Centre of {ward}", ward=ward)
    return Section("office", name, [t("Its address is not on file yet: call the hotline {hotline} or see {portal}.",
                                      hotline=knowledge.province.get("hotline", ""),
                                      portal=knowledge.province.get("provincial_portal", ""))])


def fit_card(card: Answer, knowledge, proc, t, aspect: str | None, ward: str | None) -> Answer:
    """What a card must also say for this citizen: their own ward's centre when its address is not on
    file, and a conditions section to lead with when that is what was asked and the record has none."""
    where = card.section("where")
    data = proc.data
    level = where_level(data)  # the same level the card's "where" section was written for (police included)
    if where is not None and ward and level in ("xa", "police") and fold(ward) not in fold(" ".join(where.lines)):
        where.lines.append("")
        where.lines += unlisted_centre(knowledge, ward, t).lines if level == "xa" else [
            t("Your commune/ward police: Công an {ward}.", ward=ward)]
        if level == "xa":
            where.lines.insert(len(where.lines) - 1, t("Public Administrative Service Centre of {ward}", ward=ward))
    if aspect == "conditions" and card.section("conditions") is None:
        none_listed = Section("conditions", t("Conditions"), [t("The record states no special conditions; the receiving officer checks each case.")])
        card.sections.insert(0, none_listed)
    return card


def thanks(t) -> Answer:
    return Answer(THANKS, t("You are welcome!"), intro=t("Ask me again whenever you need another procedure."))


def decline(t) -> Answer:
    """Out of scope: say so briefly, say what the assistant does, offer examples to press."""
    return Answer(NONE, t("Sorry, that is outside what I can help with."),
                  intro=t("I answer questions about administrative procedures: papers, where to file, fee, time, online filing."),
                  sections=[Section("examples", t("For example"), [t("“what papers do I need to register my baby’s birth”"),
                                                                    t("“where do I register temporary residence”")])],
                  buttons=[Button(t("Browse procedures"), "browse"), Button(t("Check a dossier"), "status"),
                           Button(t("Choose my commune/ward"), "ward"), Button(t("Talk to a person"), "handoff")])


def greeting(t, ward: str | None) -> Answer:
    lines = [t("• what papers to bring"), t("• where to file and which counter"), t("• fee and processing time"),
             t("• how to file online and check your dossier")]
    intro = t("Ask me about any administrative procedure, in your own words.")
    buttons = [Button(t("Browse procedures"), "browse")] + ([] if ward else [Button(t("Choose my commune/ward"), "ward")])
    return Answer(GREETING, t("Hello! I am the administrative procedures assistant."), intro=intro,
                  sections=[Section("can", t("I can tell you"), lines)], buttons=buttons)


def faq(entry: dict, t) -> Answer:
    links = [Link(u, u) for u in entry.get("links", [])]
    # staff's own wording stays with staff (check-knowledge --review); citizens get one short line
    caution = t("Some details are still waiting for staff confirmation; please ask again at the centre.") if entry.get("review") else ""
    return Answer(FAQ, entry["question"], sections=[Section("answer", t("Answer"), list(entry["answer"]), links)],
                  caution=caution, buttons=[Button("👍", f"feedback:faq/{entry['id']}:up"), Button("👎", f"feedback:faq/{entry['id']}:down")])


def browse(knowledge, field: str | None, t) -> Answer:
    """Curated procedures by field: first the fields, then one field's procedures."""
    curated = [p for p in knowledge.procedures.values() if p.curated]
    if not field:
        fields = sorted({p.field for p in curated})
        return Answer(BROWSE, t("Procedures by field"), intro=t("Choose a field."),
                      buttons=[Button(f, f"field:{f}") for f in fields])
    procs = sorted((p for p in curated if p.field == field), key=lambda p: p.name)
    return Answer(BROWSE, field, intro=t("Choose a procedure."), buttons=[Button(display_name(p, t)[:60], f"pick:{p.id}") for p in procs])


def ward_question(knowledge, t) -> Answer:
    examples = ", ".join(u["name"] for u in knowledge.province.get("units", [])[:3])
    return Answer(WARD, t("Which commune or ward do you live in?"),
                  intro=t("Type its name (e.g. {examples}); you can skip this and ask straight away.", examples=examples))


def notice(title: str, intro: str = "") -> Answer:
    return Answer(NOTICE, title, intro=intro)
