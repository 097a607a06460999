"""Whole conversations with the core, written as transcripts: what the citizen types, and what kind of
answer comes back, for which procedure, leading with which section, mentioning what."""
from bot.answering.answer import GREETING, NONE, OFFICE, PROCEDURE, STATUS, THANKS

# (citizen's line, expected kind, procedure id or None, first section key or None, text the answer must contain)
BIRTH = [
    ("làm giấy khai sinh cho con cần giấy tờ gì", PROCEDURE, "ho-tich/khai-sinh", "documents", ""),
    ("có tốn phí không", PROCEDURE, "ho-tich/khai-sinh", "fee_time", ""),
    ("nhà tôi ở phường Võ Cường", PROCEDURE, "ho-tich/khai-sinh", "where", "Võ Cường"),
    ("vậy nộp ở đâu cho gần", PROCEDURE, "ho-tich/khai-sinh", "where", "Trung tâm Phục vụ hành chính công phường Võ Cường"),
    ("làm qua app được không", PROCEDURE, "ho-tich/khai-sinh", "online", ""),
    ("nếu quá hạn 60 ngày thì sao", PROCEDURE, "ho-tich/khai-sinh", None, ""),
    ("bé bị sốt nhẹ có cần đưa đi viện không", NONE, None, None, "ngoài phạm vi"),
    ("cảm ơn nhé", THANKS, None, None, ""),
]

RENTING = [
    ("em mới thuê trọ ở gần trường, phải đăng ký tạm trú thế nào ạ", PROCEDURE, "cu-tru/tam-tru", None, ""),
    ("có cần chủ nhà ký không ạ", PROCEDURE, "cu-tru/tam-tru", "documents", ""),
    ("phòng em thuê ở phường Quế Võ", PROCEDURE, "cu-tru/tam-tru", "where", "Quế Võ"),
    ("thế còn đăng ký kết hôn thì cần gì", PROCEDURE, "ho-tich/ket-hon", "documents", ""),
    ("mất mấy ngày", PROCEDURE, "ho-tich/ket-hon", "fee_time", ""),
    ("bạn là ai", GREETING, None, None, ""),
]

SHOP = [
    ("tôi muốn mở quán tạp hóa thì đăng ký ở đâu", PROCEDURE, "kinh-doanh/thanh-lap-ho-kinh-doanh", "where", ""),
    ("mất mấy ngày", PROCEDURE, "kinh-doanh/thanh-lap-ho-kinh-doanh", "fee_time", ""),
    ("nếu muốn bán thêm hàng khác thì có phải đăng ký bổ sung ngành nghề không", PROCEDURE,
     "kinh-doanh/thay-doi-ho-kinh-doanh", None, ""),  # a sibling of the same field, named by its own words
    ("lệ phí", PROCEDURE, "kinh-doanh/thay-doi-ho-kinh-doanh", "fee_time", ""),
]

GUARDIAN = [  # the specific national procedure first, its curated cousin offered under the card
    ("tôi đang làm người giám hộ cho cháu, giờ muốn chấm dứt giám hộ thì làm thế nào", PROCEDURE, "1.004845", None,
     "Không phải trường hợp của bạn? Đăng ký giám hộ"),
    ("hồi trước tôi đăng ký giám hộ ở xã Cao Đức, giờ nộp hồ sơ ở đâu", PROCEDURE, "1.004845", "where", "Cao Đức"),
    ("có mất tiền không", PROCEDURE, "1.004845", "fee_time", ""),
]

FILED = [
    ("hồ sơ đăng ký kết hôn nộp từ tuần trước giờ xong chưa", STATUS, "ho-tich/ket-hon", None, "Thời gian giải quyết thông thường"),
    ("bao giờ có kết quả", STATUS, "ho-tich/ket-hon", None, "quá hẹn"),
    ("thứ 7 trung tâm có làm việc không", OFFICE, None, None, ""),
]

PAPERS = [  # a paper or condition the current procedure names is asked about it, not about that paper's procedure
    ("chồng tôi là người Hàn, con mới sinh ở Bắc Ninh thì làm khai sinh thế nào", PROCEDURE,
     "ho-tich/khai-sinh-yeu-to-nuoc-ngoai", None, ""),
    ("hộ chiếu của chồng tôi có cần dịch không", PROCEDURE, "ho-tich/khai-sinh-yeu-to-nuoc-ngoai", "documents", ""),
    ("mất hộ chiếu thì làm lại thế nào", PROCEDURE, "xuat-nhap-canh/ho-chieu", None, ""),  # named as a request: switches
]

COPY = [
    ("xin bản sao trích lục khai tử của ông tôi ở đâu", PROCEDURE, "ho-tich/trich-luc", "where", ""),
    ("có phải về đúng phường đã làm khai tử không", PROCEDURE, "ho-tich/trich-luc", "where", ""),  # where, not "có phải"
    ("hết bao nhiêu tiền", PROCEDURE, "ho-tich/trich-luc", "fee_time", ""),
]

MORTGAGE = [  # the specific record first; a later turn that names its common cousin well moves back to it
    ("đã trả hết nợ vay, muốn xóa thế chấp trên sổ đỏ thì làm gì", PROCEDURE, "1.011443", None,
     "Không phải trường hợp của bạn?"),
    ("mất bao lâu", PROCEDURE, "1.011443", "fee_time", ""),
    ("sau này muốn thế chấp sổ đỏ ở ngân hàng khác để vay thêm thì có phải làm lại không", PROCEDURE,
     "dat-dai/the-chap", None, ""),
]


def play(assistant, transcript):
    session = {}
    for line, kind, pid, first, mention in transcript:
        answer = assistant.reply(line, session).answer
        shown = str(answer.to_dict())
        assert (line, answer.kind) == (line, kind)
        if pid:
            assert (line, answer.procedure_id) == (line, pid)
        if first:
            assert (line, answer.sections[0].key) == (line, first)
        assert mention.lower() in shown.lower(), (line, mention)
    return session


def test_a_birth_registration_with_follow_ups_a_ward_a_decline_and_thanks(assistant):
    session = play(assistant, BIRTH)
    assert session["ward"] == "phường Võ Cường" and session["last"] == "ho-tich/khai-sinh"


def test_renting_a_room_then_switching_to_marriage(assistant):
    play(assistant, RENTING)


def test_opening_a_shop_then_changing_its_registration(assistant):
    play(assistant, SHOP)


def test_ending_a_guardianship_stays_the_specific_procedure_when_the_generic_one_is_mentioned(assistant):
    play(assistant, GUARDIAN)


def test_a_paper_the_current_procedure_names_keeps_the_thread(assistant):
    play(assistant, PAPERS)
    play(assistant, COPY)


def test_a_specific_record_then_its_common_cousin(assistant):
    play(assistant, MORTGAGE)


def test_a_dossier_already_filed_stays_a_status_question(assistant):
    play(assistant, FILED)


def test_the_where_section_never_names_another_wards_centre(assistant):
    session = {"ward": "phường Quế Võ"}
    where = assistant.reply("làm giấy khai sinh nộp ở đâu", session).answer.section("where")
    text = " ".join(where.lines)
    assert "Trung tâm Phục vụ hành chính công phường Quế Võ" in text and "Kinh Bắc" not in text


def test_specific_cases_are_offered_under_a_direct_answer(assistant):
    answer = assistant.reply("làm giấy khai sinh cho con", {}).answer
    offered = [b for b in answer.buttons if b.label.startswith("Không phải trường hợp của bạn?")]
    assert answer.kind == PROCEDURE and 1 <= len(offered) <= 3
    assert "pick:ho-tich/khai-sinh-yeu-to-nuoc-ngoai" in {b.action for b in offered}
    session = {}
    picked = assistant.press(offered[0].action, session).answer
    assert picked.kind == PROCEDURE and picked.procedure_id == offered[0].action.split(":", 1)[1]


def test_a_decline_offers_what_the_assistant_can_do(assistant):
    answer = assistant.reply("giá vàng hôm nay bao nhiêu", {}).answer
    actions = {b.action for b in answer.buttons}
    assert answer.kind == NONE and answer.procedure_id is None and not answer.candidates
    assert {"browse", "status"} <= actions and not any(a.startswith("pick:") for a in actions)  # no menu of procedures


def test_a_sentence_that_is_not_a_follow_up_does_not_get_the_last_card(assistant):
    session = {}
    assistant.reply("đăng ký tạm trú", session)
    answer = assistant.reply("con voi bay và múa", session).answer
    assert answer.kind == NONE and answer.procedure_id is None


def test_the_turn_after_a_question_back_can_pick_a_choice_in_words(assistant):
    session = {}
    asked = assistant.reply("hộ tịch", session).answer
    assert asked.kind == "clarify" and "ho-tich/trich-luc" in asked.candidates
    picked = assistant.reply("xin thêm bản sao trích lục", session).answer
    assert picked.kind == PROCEDURE and picked.procedure_id == "ho-tich/trich-luc"
    assert not session.get("pending")  # the choices were for that one turn


def test_a_turn_that_names_nothing_right_after_a_question_back_asks_again(assistant):
    session = {}
    assert assistant.reply("hộ tịch", session).answer.kind == "clarify"
    offered = list(session["pending"])
    again = assistant.reply("cần giấy tờ gì", session).answer
    assert again.kind == "clarify" and again.candidates[: len(offered)] == offered and session["pending"] == offered
    assert assistant.reply("1", session).answer.procedure_id == offered[0]  # still answerable by number


def test_after_a_question_back_a_few_words_that_name_nothing_ask_again_and_a_clear_name_is_answered(assistant):
    session = {}
    offered = assistant.reply("hộ tịch", session).answer.candidates
    again = assistant.reply("process mất mấy ngày", session).answer  # an aspect and a word that names nothing
    assert again.kind == "clarify" and again.candidates == offered
    named = assistant.reply("đăng ký kết hôn cần những giấy tờ gì", session).answer  # not among the choices
    assert named.kind == PROCEDURE and named.procedure_id == "ho-tich/ket-hon"
