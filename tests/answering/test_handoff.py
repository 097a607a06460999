"""Handing over to a person: the triggers in the conversation, masking, and the office-hours rule."""
import datetime as dt

from bot.answering.handoff import mask, next_opening, remember_turn

VN = dt.timezone(dt.timedelta(hours=7))
CENTRE = {"hours": [{"days": ["1", "2", "3", "4", "5"], "open": "07:30", "close": "11:30"},
                    {"days": ["1", "2", "3", "4", "5"], "open": "13:30", "close": "17:00"},
                    {"days": ["6"], "open": "07:30", "close": "11:30"}]}


def test_phone_and_id_numbers_are_hidden_dossier_codes_and_money_are_not():
    assert mask("gọi tôi 0912 345 678 nhé") == "gọi tôi •••• ••• ••• nhé"
    assert mask("sđt +84912345678") == "sđt •••••••••••"
    assert mask("CCCD 001203004567, BHXH 0123456789") == "CCCD ••••••••••••, BHXH ••••••••••"
    assert mask("mã hồ sơ 000.00.23.H10-250703-0005") == "mã hồ sơ 000.00.23.H10-250703-0005"
    assert mask("nộp 1.500.000.000 đồng, năm 2025, 12 giấy") == "nộp 1.500.000.000 đồng, năm 2025, 12 giấy"


def test_turns_are_kept_masked_and_short():
    session = {}
    for n in range(8):
        remember_turn(session, "Người dân", f"câu {n}: số 0987654321")
    assert len(session["turns"]) == 6 and session["turns"][-1] == "Người dân: câu 7: số ••••••••••"


def test_next_opening_of_an_office():
    tuesday_9 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=VN)
    assert next_opening(CENTRE, tuesday_9) is None  # open
    assert next_opening(CENTRE, tuesday_9.replace(hour=12)) == tuesday_9.replace(hour=13, minute=30)  # lunch
    assert next_opening(CENTRE, tuesday_9.replace(hour=18)) == dt.datetime(2026, 12, 2, 7, 30, tzinfo=VN)
    saturday_night = dt.datetime(2026, 12, 5, 20, 0, tzinfo=VN)
    assert next_opening(CENTRE, saturday_night) == dt.datetime(2026, 12, 7, 7, 30, tzinfo=VN)  # Monday
    assert next_opening(CENTRE, saturday_night.astimezone(dt.timezone.utc)) == dt.datetime(2026, 12, 7, 7, 30, tzinfo=VN)
    assert next_opening({}, tuesday_9) is None  # hours unknown: no promise


def test_asking_for_a_person_in_words(assistant):
    session = {}
    for question in ("cho tôi gặp cán bộ", "muon noi chuyen voi nguoi that", "gặp tình nguyện viên được không"):
        reply = assistant.reply(question, session)
        assert reply.answer.kind == "handoff", question
        assert reply.events[0]["handoff"] == "asked"
    assert assistant.reply("làm giấy khai sinh cho con", session).answer.kind == "procedure"


def test_the_button_under_a_not_found_answer(assistant):
    session = {}
    not_found = assistant.reply("qwzx plorf", session).answer
    assert ("Gặp cán bộ", "handoff") in [(b.label, b.action) for b in not_found.buttons]
    reply = assistant.press("handoff", session)
    assert reply.answer.kind == "handoff" and reply.events == [{"intent": "handoff", "handoff": "button", "picked": True}]


def test_two_unanswered_questions_in_a_row_hand_over(assistant):
    session = {}
    assert assistant.reply("qwzx plorf", session).answer.kind == "none"
    second = assistant.reply("vrmk zzqt", session)
    assert second.answer.kind == "handoff" and second.events[0]["handoff"] == "unanswered"
    assert second.events[0]["unanswered"]  # still counted as unanswered for staff
    assert assistant.reply("qwzx plorf", session).answer.kind == "none"  # the count starts again


def test_an_answer_in_between_resets_the_count(assistant):
    session = {}
    assistant.reply("qwzx plorf", session)
    assert assistant.reply("xin chào", session).answer.kind == "greeting"
    assert assistant.reply("vrmk zzqt", session).answer.kind == "none"
