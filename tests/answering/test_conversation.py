"""Conversations with the core, as a citizen would have them (no channel involved)."""
from bot.answering.answer import CLARIFY, GREETING, NONE, OFFICE, PROCEDURE, STATUS


def test_greeting_asks_for_the_ward_once_then_remembers_it(assistant):
    session = {}
    first = assistant.start(session)
    assert first.kind == GREETING and session["awaiting"] == "ward"
    noted = assistant.reply("phuong kinh bac", session).answer
    assert "phường Kinh Bắc" in noted.title and session["ward"] == "phường Kinh Bắc"
    assert assistant.start(session).kind == GREETING and "awaiting" not in session


def test_ward_question_is_never_a_gate(assistant):
    session = {}
    assistant.start(session)
    reply = assistant.reply("làm giấy khai sinh cho con cần gì", session)
    assert reply.answer.kind == PROCEDURE and reply.answer.procedure_id == "ho-tich/khai-sinh"
    assert "ward" not in session


def test_a_question_gets_a_card_leading_with_the_aspect_asked(assistant):
    answer = assistant.reply("làm giấy khai sinh mất bao nhiêu tiền", {}).answer
    assert answer.kind == PROCEDURE and answer.aspect == "fee"
    assert answer.sections[0].key == "fee_time"
    assert any("Miễn phí" in line for line in answer.sections[0].lines)
    documents = answer.section("documents")
    assert any("Giấy chứng sinh" in line for line in documents.lines)
    assert {"👍", "👎"} <= {b.label for b in answer.buttons}


def test_follow_up_refers_to_the_last_procedure(assistant):
    session = {}
    assistant.reply("đăng ký kết hôn", session)
    follow = assistant.reply("phí bao nhiêu?", session)
    assert follow.answer.procedure_id == "ho-tich/ket-hon" and follow.answer.sections[0].key == "fee_time"
    assert follow.events[0].get("followup") is True


def test_ward_centre_is_named_when_known(assistant):
    session = {"ward": "phường Kinh Bắc"}
    where = assistant.reply("làm giấy khai sinh ở đâu", session).answer.section("where")
    assert any("Kinh Bắc" in line for line in where.lines)


def test_ambiguous_question_offers_choices_and_a_number_picks_one(assistant):
    session = {}
    answer = assistant.reply("hộ tịch", session).answer
    assert answer.kind == CLARIFY and 2 <= len(answer.buttons) <= 4
    chosen = assistant.reply("2", session).answer
    assert chosen.kind == PROCEDURE and chosen.procedure_id == answer.candidates[1]


def test_pressing_buttons(assistant):
    session = {}
    card = assistant.reply("sang tên sổ đỏ", session).answer
    where = next(b for b in card.buttons if b.action.endswith(":where"))
    assert assistant.press(where.action, session).answer.sections[0].key == "where"
    vote = assistant.press(f"feedback:{card.procedure_id}:up", session)
    assert vote.events == [{"feedback": "up", "procedure": card.procedure_id}]
    assert assistant.press("browse", session).answer.buttons


def test_unknown_question_is_recorded_and_offers_the_hotline(assistant):
    reply = assistant.reply("đám cưới anh trai vui quá", {})
    assert reply.answer.kind == NONE and reply.events[0]["unanswered"] is True
    assert any("1800" in line for s in reply.answer.sections for line in s.lines)


def test_status_and_office_answers(assistant):
    status = assistant.reply("tra cứu hồ sơ 000.00.23.H10-250703-0005", {}).answer
    assert status.kind == STATUS and "000.00.23.H10-250703-0005" in status.sections[0].lines[0]
    assert all(link.url.startswith("https://") for link in status.sections[0].links)
    office = assistant.reply("giờ làm việc của trung tâm hành chính công", {}).answer
    assert office.kind == OFFICE and any("07:30" in line for s in office.sections for line in s.lines)


def test_deep_link_payload_opens_a_procedure(assistant):
    answer = assistant.start({}, "ho-tich_khai-sinh")
    assert answer.kind == PROCEDURE and answer.procedure_id == "ho-tich/khai-sinh"


def test_odd_messages_never_fail(assistant):
    for text in ["", "   ", "😀😀😀", "<b>html</b><script>alert(1)</script>", "x" * 4096, "?!?!", "\u200b"]:
        assert assistant.reply(text, {}).answer.title


def test_deep_link_payloads_round_trip_for_catalog_ids_and_portal_codes(assistant):
    from bot.answering.conversation import deep_link_payload, from_payload

    for pid in ("ho-tich/khai-sinh", "1.010038"):
        payload = deep_link_payload(pid)
        assert from_payload(payload) == pid and all(c.isalnum() or c in "_-" for c in payload)
        assert assistant.start({}, payload).procedure_id == pid


def test_an_office_question_naming_a_ward_gets_that_wards_centre_first(assistant):
    answer = assistant.reply("trung tâm hành chính công xã Tây Yên Tử ở đâu", {}).answer
    assert answer.sections[0].title == "Trung tâm Phục vụ hành chính công xã Tây Yên Tử"


def test_a_procedure_the_police_perform_names_the_wards_police_not_its_centre(assistant):
    answer = assistant.reply("thông báo lưu trú ở đâu", {"ward": "phường Kinh Bắc"}).answer
    assert answer.kind == PROCEDURE
    where = answer.section("where").lines
    assert "Công an nơi bạn ở: Công an phường Kinh Bắc." in where  # the record's agency is the commune police
    assert not any("Trung tâm Phục vụ hành chính công phường Kinh Bắc" in line for line in where)
