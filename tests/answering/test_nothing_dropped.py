"""Nothing of a procedure's file is lost: every paper, note, step, condition, result and legal basis of every
procedure (curated and national) appears in its full view (both layers), and every review item is marked."""
import pytest

from bot.answering.cards import procedure_card
from bot.answering.i18n import translator
from bot.knowledge.review import review_items

t = translator("vi")
MARK = "(chờ xác nhận)"
SECTION_OF = {"documents": "documents", "where": "where", "fee": "fee_time", "time": "fee_time",
              "online": "online", "conditions": "conditions", "who": "who", "steps": "steps",
              "results": "results", "legal_basis": "legal_basis"}


def file_facts(data: dict) -> list[str]:
    """Every text of the file a citizen may need."""
    facts = [d["name"] for d in data.get("documents", [])]
    papers = [d for d in data.get("documents", []) if d.get("section") != "luu_y"]  # a note's count means nothing
    facts += [d[k] for d in papers for k in ("count", "form", "when", "note") if d.get(k)]
    facts += data.get("document_notes", []) + data.get("steps", []) + data.get("conditions", [])
    facts += [r["name"] for r in data.get("results", [])]
    facts += [x for law in data.get("legal_basis", []) for x in (law.get("code"), law["title"]) if x]
    facts += [m[k] for m in data.get("methods", []) for k in ("time", "note", "fee_text") if m.get(k)]
    facts += [data[k] for k in ("who", "fee_exempt") if data.get(k)]
    return facts


def full_view(card) -> str:
    parts = [card.title, card.intro, card.caution]
    for s in [*card.sections, *card.details]:
        parts += [s.title, *s.lines, *(f"{link.label} {link.url}" for link in s.links)]
    return "\n".join(parts)


def test_every_fact_of_every_procedure_is_in_its_full_view(knowledge):
    missing = []
    for proc in knowledge.procedures.values():
        text = full_view(procedure_card(knowledge, proc, t))
        missing += [(proc.id, fact[:80]) for fact in file_facts(proc.data) if fact not in text]
    assert not missing, f"{len(missing)} facts lost, e.g. {missing[:5]}"
    assert len(knowledge.procedures) > 1000 and sum(p.curated for p in knowledge.procedures.values()) >= 51


def test_every_review_item_is_marked_where_it_applies(knowledge):
    for proc in knowledge.procedures.values():
        items = review_items(proc.data)
        if not items:
            continue
        card = procedure_card(knowledge, proc, t, aspect="conditions")
        assert card.caution.startswith("Một số thông tin đang chờ cán bộ xác nhận"), proc.id
        sections = {s.key: s for s in [*card.sections, *card.details]}
        for item in items:
            if item.about:
                section = sections[SECTION_OF[item.about]]
                assert MARK in section.title or any(MARK in line for line in section.lines), (proc.id, item.about)


@pytest.mark.parametrize("pid", ["chung-thuc/di-chuc", "cu-tru/thuong-tru", "xuat-nhap-canh/ho-chieu"])
def test_audited_facts_reach_the_citizen(knowledge, pid):
    """The audit's examples: will rules, the 60-day rule, the fee circulars."""
    text = full_view(procedure_card(knowledge, knowledge.find(pid), t))
    expected = {"chung-thuc/di-chuc": ["làm chứng", "điểm chỉ"], "cu-tru/thuong-tru": ["60 ngày"],
                "xuat-nhap-canh/ho-chieu": ["25/2021/TT-BTC"]}[pid]
    for needle in expected:
        assert needle in text, needle
