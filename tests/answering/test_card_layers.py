"""The card's two layers: what to do first, then "Chi tiết"; doubts marked beside the fact; no contradictions."""
import dataclasses
import json

from bot.answering.answer import DETAILS
from bot.answering.cards import checklist, procedure_card
from bot.answering.i18n import translator
from bot.answering.render import to_telegram_html, to_text
from bot.knowledge.review import review_items

t = translator("vi")
SHORT = ["documents", "where", "fee_time", "online", "status"]


def with_data(proc, **changes):
    return dataclasses.replace(proc, data={**proc.data, **changes})


def test_the_short_part_is_what_to_do_and_the_details_hold_the_rest(knowledge):
    card = procedure_card(knowledge, knowledge.find("chung-thuc/di-chuc"), t)
    assert [s.key for s in card.sections] == SHORT
    keys = [s.key for s in card.details]
    assert {"steps", "legal_basis", "source", "help"} <= set(keys)
    steps = next(s for s in card.details if s.key == "steps").lines
    assert steps[0].startswith("1. ")
    assert any("Chi tiết" == b.label and b.action == f"details:{card.procedure_id}" for b in card.buttons)


def test_staff_wording_never_reaches_citizens(knowledge):
    for proc in knowledge.procedures.values():
        if not proc.curated:
            continue
        card = json.dumps(procedure_card(knowledge, proc, t).to_dict(), ensure_ascii=False)
        for item in review_items(proc.data):
            assert item.text not in card, (proc.id, item.text)


def test_a_doubt_is_marked_beside_its_fact_and_one_line_closes_the_card(knowledge):
    proc = with_data(knowledge.find("ho-tich/khai-sinh"),
                     review=[{"about": "fee", "text": "Cán bộ xác nhận mức phí"}, "Một điều chung"])
    card = procedure_card(knowledge, proc, t)
    fee_lines = card.section("fee_time").lines
    with_fee = [line for line in fee_lines if "· phí:" in line or line.startswith("Phí")]  # either layout
    assert with_fee and all(line.endswith("(chờ xác nhận)") for line in with_fee)
    assert "(chờ xác nhận)" not in card.section("documents").title
    assert card.caution == "Một số thông tin đang chờ cán bộ xác nhận; hãy hỏi lại tại trung tâm khi nộp hồ sơ."
    text = to_text(card)
    assert text.rstrip().endswith(card.caution) and "Cán bộ xác nhận mức phí" not in text
    html = to_telegram_html(card)
    assert html.index("Giấy tờ cần chuẩn bị") < html.index("chờ cán bộ xác nhận")


def test_a_doubt_about_papers_marks_their_title(knowledge):
    proc = with_data(knowledge.find("ho-tich/khai-sinh"), review=[{"about": "documents", "text": "x"}])
    assert procedure_card(knowledge, proc, t).section("documents").title == "Giấy tờ cần chuẩn bị (chờ xác nhận)"


def test_the_procedures_own_where_note_replaces_the_generic_line(knowledge):
    for pid in ("chung-thuc/ban-sao", "xay-dung/giay-phep-nha-o"):
        proc = knowledge.find(pid)
        where = procedure_card(knowledge, proc, t).section("where").lines
        assert where[0].startswith(proc.data["where"]["note"])
        assert not any("nơi bạn cư trú" in line for line in where)


def test_police_procedures_name_the_police_not_every_service_centre(knowledge):
    for pid in ("can-cuoc/dinh-danh-dien-tu", "cu-tru/tam-tru"):
        where = procedure_card(knowledge, knowledge.find(pid), t).section("where").lines
        assert "Công an" in where[0]
        assert not any(line.startswith("Trung tâm Phục vụ hành chính công") for line in where)


def test_a_known_ward_names_its_own_centre_only(knowledge):
    where = procedure_card(knowledge, knowledge.find("ho-tich/ket-hon"), t, ward="xã Tây Yên Tử").section("where").lines
    assert any("Tây Yên Tử" in line for line in where) and not any("Kinh Bắc" in line for line in where)


def test_a_national_police_record_names_its_agency(knowledge):
    proc = knowledge.find("1.004194")  # covered by cu-tru/tam-tru; take the national record itself
    national = dataclasses.replace(proc, data={k: v for k, v in proc.data.items() if k not in ("where", "review")},
                                   curated=False)
    where = procedure_card(knowledge, national, t).section("where").lines
    assert where[0] == "Tại cơ quan Công an." and "Cơ quan thực hiện: Công an cấp Xã" in where


def test_the_details_button_gives_the_details_on_their_own(assistant):
    session = {}
    card = assistant.procedure("cu-tru/tam-tru", session)
    details = assistant.press(f"details:{card.procedure_id}", session).answer
    assert details.kind == DETAILS and details.title == card.title and details.sections == card.details
    html = to_telegram_html(details)
    assert "Căn cứ pháp lý" in html and "Các bước thực hiện" in html


def test_telegram_shows_the_short_part_unless_asked(knowledge):
    card = procedure_card(knowledge, knowledge.find("cu-tru/tam-tru"), t)
    assert "Căn cứ pháp lý" not in to_telegram_html(card)
    assert "Căn cứ pháp lý" in to_telegram_html(card, details=True)


def test_the_checklist_to_print_carries_address_hours_hotline_and_date(knowledge):
    card = checklist(knowledge, knowledge.find("cu-tru/tam-tru"), t)
    text = to_text(card)
    for needed in ("Địa chỉ:", "Giờ làm việc:", "Đường dây nóng:", "Cập nhật ngày"):
        assert needed in text
