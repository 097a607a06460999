"""Answers other than a procedure card: choices, not-found, dossier status, offices, greeting, FAQ, browsing."""
from __future__ import annotations


from bot.answering.answer import BROWSE, CLARIFY, FAQ, GREETING, NONE, NOTICE, OFFICE, STATUS, WARD, Answer, Button, Link, Section
from bot.answering.cards import office_lines
from bot.understanding.intents import DOSSIER_CODE


def clarify(knowledge, ids: list[str], t) -> Answer:
    """Ask the citizen to choose among 2-4 procedures."""
    procs = [p for p in (knowledge.find(i) for i in ids) if p][:4]
    lines = [f"{n}. {p.name}" for n, p in enumerate(procs, 1)]
    return Answer(CLARIFY, t("Which procedure do you mean?"), intro=t("Choose one, or type its number."),
                  sections=[Section("choices", t("Closest matches"), lines)],
                  buttons=[Button(p.name[:60], f"pick:{p.id}") for p in procs], candidates=[p.id for p in procs])


def not_found(knowledge, closest: list[str], t) -> Answer:
    """Say we do not know, offer the closest and the hotline."""
    hotline = knowledge.province.get("hotline", "")
    procs = [p for p in (knowledge.find(i) for i in closest[:2]) if p]
    return Answer(NONE, t("Sorry, I could not find a procedure for that."),
                  intro=t("Try naming the paper you need, e.g. “làm giấy khai sinh” or “sang tên sổ đỏ”."),
                  sections=[Section("help", t("Other ways to get help"), [t("Hotline: {hotline}", hotline=hotline)])],
                  buttons=[Button(t("Did you mean: {name}", name=p.name[:50]), f"pick:{p.id}") for p in procs]
                  + [Button(t("Browse procedures"), "browse")], candidates=[p.id for p in procs])


def valid_dossier_code(code: str) -> bool:
    return bool(DOSSIER_CODE.fullmatch(code.strip()))


def status(knowledge, codes: list[str], t, typed: str = "") -> Answer:
    """Where and how to check a dossier's status, with links filled in with the code when there is one."""
    code = codes[0] if codes else ""
    lines = [t("Dossier code: {code}", code=code)] if code else [t("Your dossier code is on the appointment slip (giấy hẹn) or in the portal's message.")]
    if typed and not code:
        lines.insert(0, t("“{typed}” does not look like a dossier code (e.g. 000.00.23.H10-250703-0005).", typed=typed))
    links, seen = [], []
    for s in knowledge.province.get("status_lookup", []):
        links.append(Link(s["name"], s["url"].replace("{code}", code)))
        seen.append(f"• {s['name']}: {s['what_you_see']}")
    return Answer(STATUS, t("Checking a dossier's status"), intro=t("You can check it yourself, any time:"),
                  sections=[Section("status", t("Where to look"), lines + seen, links)],
                  buttons=[Button(link.label, url=link.url) for link in links])


def office(knowledge, ward_office: str | None, t) -> Answer:
    """The citizen's ward centre (when known) and the provincial centre: address, hours, phone."""
    centres = [i for i, o in knowledge.offices.items() if o["kind"] == "commune_centre"]
    ids = list(dict.fromkeys(i for i in (ward_office, "ttpvhcc-tinh", *centres) if i in knowledge.offices))[:3]
    sections = [Section("office", knowledge.offices[i]["name"], office_lines(knowledge.offices[i], t)[1:]
                        + knowledge.offices[i].get("notes", [])[:2]) for i in ids]
    hotline = knowledge.province.get("hotline", "")
    caution = t("Some office details are still being confirmed by staff.") if any(knowledge.offices[i].get("review") for i in ids) else ""
    return Answer(OFFICE, t("Public administrative service centres"), intro=t("Hotline: {hotline}", hotline=hotline),
                  sections=sections, caution=caution, buttons=[Button(t("Choose my commune/ward"), "ward")])


def greeting(t, ward: str | None) -> Answer:
    lines = [t("• what papers to bring"), t("• where to file and which counter"), t("• fee and processing time"),
             t("• how to file online and check your dossier")]
    intro = t("Ask me about any administrative procedure, in your own words.")
    buttons = [Button(t("Browse procedures"), "browse")] + ([] if ward else [Button(t("Choose my commune/ward"), "ward")])
    return Answer(GREETING, t("Hello! I am the administrative procedures assistant."), intro=intro,
                  sections=[Section("can", t("I can tell you"), lines)], buttons=buttons)


def faq(entry: dict, t) -> Answer:
    links = [Link(u, u) for u in entry.get("links", [])]
    caution = t("Some details are still being confirmed by staff: {items}", items="; ".join(entry["review"][:2])) if entry.get("review") else ""
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
    return Answer(BROWSE, field, intro=t("Choose a procedure."), buttons=[Button(p.name[:60], f"pick:{p.id}") for p in procs])


def ward_question(knowledge, t) -> Answer:
    examples = ", ".join(u["name"] for u in knowledge.province.get("units", [])[:3])
    return Answer(WARD, t("Which commune or ward do you live in?"),
                  intro=t("Type its name (e.g. {examples}); you can skip this and ask straight away.", examples=examples))


def notice(title: str, intro: str = "") -> Answer:
    return Answer(NOTICE, title, intro=intro)
