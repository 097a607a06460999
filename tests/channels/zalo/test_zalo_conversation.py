"""Conversations on Zalo: the real channel long polling the fake Zalo Bot API on loopback, a real store."""
from bot.answering.render import to_text
from helpers.fake_zalo_api import TEXT_LIMIT, Chat
from helpers.zalo_fixtures import PUBLIC_URL

SORRY = "Xin lỗi, hệ thống đang gặp sự cố"


async def test_a_citizen_asks_gets_a_card_follows_up_and_answers_with_numbers(lan, store):
    card = await lan.says("làm giấy khai sinh cho con cần gì")
    assert card.text.startswith("Đăng ký khai sinh")
    assert "Giấy tờ cần chuẩn bị" in card.text and "Giấy chứng sinh" in card.text
    assert "<b>" not in card.text and "<a " not in card.text  # plain text, links as URLs
    assert "🔗 Cổng Dịch vụ công tỉnh Bắc Ninh: https://dichvucong.bacninh.gov.vn" in card.text
    assert f"{PUBLIC_URL}/p/ho-tich/khai-sinh" in card.text  # the page with its QR code and print view
    assert {"Giấy tờ", "Nơi nộp", "Phí & thời gian", "📋 Tóm tắt để chuyển tiếp", "👍 Hữu ích"} <= set(card.choices)
    assert "Trả lời bằng một số:" in card.parts[-1]

    fee = await lan.says("phí bao nhiêu?")
    assert fee.text.startswith("Đăng ký khai sinh")
    assert fee.text.index("Phí và thời gian giải quyết") < fee.text.index("Giấy tờ cần chuẩn bị")

    where = await lan.chooses("Nơi nộp")
    assert where.text.index("Nơi nộp hồ sơ") < where.text.index("Giấy tờ cần chuẩn bị")

    thanks = await lan.chooses("👍 Hữu ích")
    assert "Cảm ơn bạn đã góp ý!" in thanks.text
    assert [(f["vote"], f["procedure"], f["channel"]) for f in await store.feedback()] == [("up", "ho-tich/khai-sinh", "zalo")]
    asked = [(q["text"], q["procedure"], q["channel"]) for q in await store.questions()]
    assert ("làm giấy khai sinh cho con cần gì", "ho-tich/khai-sinh", "zalo") in asked
    assert ("phí bao nhiêu?", "ho-tich/khai-sinh", "zalo") in asked


async def test_an_ambiguous_question_lists_numbered_choices_and_a_number_gives_that_card(lan):
    choices = await lan.says("đất")
    assert "Bạn muốn hỏi thủ tục nào?" in choices.text
    assert len(choices.choices) >= 2
    second = next(label for label, n in choices.choices.items() if n == 2)
    assert choices.text.count(second) == 1  # listed once, as a numbered choice

    card = await lan.says("2")
    assert card.text.startswith(second)
    assert "Giấy tờ cần chuẩn bị" in card.text


async def test_browsing_by_field_with_numbers_only(lan):
    hello = await lan.says("xin chào")
    assert "Xin chào! Tôi là trợ lý thủ tục hành chính." in hello.text
    fields = await lan.chooses("Xem danh sách thủ tục")
    assert "Hộ tịch" in fields.choices
    procedures = await lan.chooses("Hộ tịch")
    card = await lan.chooses("Đăng ký khai sinh")
    assert card.text.startswith("Đăng ký khai sinh") and "Đăng ký khai sinh" in procedures.choices


async def test_a_volunteer_gets_the_checklist_with_its_print_link(lan):
    card = await lan.says("đăng ký kết hôn cần giấy tờ gì")
    checklist = await lan.chooses("📋 Tóm tắt để chuyển tiếp")
    assert checklist.text.startswith("Đăng ký kết hôn")
    assert "Giấy tờ cần chuẩn bị" in checklist.text and len(checklist.text) < len(card.text)
    assert f"{PUBLIC_URL}/p/ho-tich/ket-hon?print=1" in checklist.text


async def test_a_card_longer_than_2000_characters_comes_in_clean_parts_with_the_choices_last(lan, assistant):
    pid = "dat-dai/cap-giay-chung-nhan-lan-dau"
    assert len(to_text(assistant.procedure(pid, {}))) > 2 * TEXT_LIMIT  # the premise of this test

    await lan.says("xin chào")
    await lan.chooses("Xem danh sách thủ tục")
    fields = await lan.chooses("Đất đai")
    card = await lan.chooses(next(label for label in fields.choices if label.startswith("Đăng ký đất đai, tài sản")))
    assert len(card.parts) >= 2 and all(len(part) <= TEXT_LIMIT for part in card.parts)
    assert [offers_choices(part) for part in card.parts] == [False] * (len(card.parts) - 1) + [True]
    for title in ("Giấy tờ cần chuẩn bị", "Nơi nộp hồ sơ", "Phí và thời gian giải quyết"):
        assert title in card.text
    assert all(part == part.strip() and part.split("\n")[-1].strip() for part in card.parts)  # cut between lines


def offers_choices(part: str) -> bool:
    return "Trả lời bằng một số:" in part


async def test_photos_stickers_and_unsupported_messages_get_a_short_helpful_reply(lan):
    for event in ("message.image.received", "message.sticker.received", "message.unsupported.received"):
        reply = await lan.sends(event, photo="https://zalo.example/photo.jpg") if "image" in event else await lan.sends(event)
        assert len(reply.parts) == 1
        assert "Tôi chỉ đọc được câu hỏi gõ bằng chữ." in reply.text and "làm giấy khai sinh" in reply.text


async def test_in_a_group_a_sticker_is_left_to_the_people_but_a_question_is_answered(zalo_api, zalo):
    group = Chat(zalo_api, zalo, "zl-group-77", chat_type="GROUP")
    assert (await group.sends("message.sticker.received")).parts == []
    assert (await group.says("đăng ký kết hôn ở đâu")).text.startswith("Đăng ký kết hôn")


async def test_the_same_message_delivered_twice_is_answered_once(lan, store):
    first = await lan.says("làm căn cước cho con", message_id="zmsg-42")
    again = await lan.says("làm căn cước cho con", message_id="zmsg-42")
    assert first.parts and again.parts == []
    assert [q["text"] for q in await store.questions()] == ["làm căn cước cho con"]
    assert (await lan.says("làm căn cước cho con", message_id="zmsg-43")).parts  # a new message is answered


async def test_two_citizens_keep_their_own_conversations(zalo_api, zalo, lan):
    minh = Chat(zalo_api, zalo, "zl-minh-2002")
    await lan.says("làm giấy khai sinh cho con cần gì")
    await minh.says("đăng ký kết hôn cần giấy tờ gì")
    assert (await lan.says("phí bao nhiêu?")).text.startswith("Đăng ký khai sinh")
    assert (await minh.says("phí bao nhiêu?")).text.startswith("Đăng ký kết hôn")


async def test_the_desk_can_send_a_persons_answer_to_a_zalo_citizen(zalo_api, zalo, lan):
    mark = len(zalo_api.calls)
    await zalo.send_text(lan.id, "Chào chị Lan, cán bộ phường trả lời: " + "mang theo giấy chứng sinh. " * 120)
    parts = [c.text for c in zalo_api.sent(lan.id, mark)]
    assert len(parts) == 2 and all(len(p) <= TEXT_LIMIT for p in parts)
    assert parts[0].startswith("Chào chị Lan") and not parts[1].startswith(" ")


async def test_nothing_failed_on_the_way(lan, zalo_api):
    await lan.says("làm giấy khai sinh cho con cần gì")
    await lan.says("99")  # a number with nothing to choose is just a question
    assert not [c for c in zalo_api.calls if c.error]
    assert not any(SORRY in c.text for c in zalo_api.sent())
