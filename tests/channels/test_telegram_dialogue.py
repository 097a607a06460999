"""A whole conversation over Telegram: the real python-telegram-bot Application polling the fake Bot API.
The same core as the web chat, so the same thread: a direct answer, follow-ups, a ward, a decline, thanks."""

from helpers.fake_bot_api import Chat, private_chat, user


async def test_a_birth_registration_conversation_keeps_its_thread(api, bot):
    hoa = Chat(api, private_chat(2002, "Hoa"), user(2002, "Hoa"))

    card = await hoa.says("làm giấy khai sinh cho con cần giấy tờ gì", until_buttons=True)
    assert card.shown.startswith("Đăng ký khai sinh")  # answered directly, not "Bạn muốn hỏi thủ tục nào?"
    assert card.shown.index("Giấy tờ cần chuẩn bị") < card.shown.index("Phí và thời gian giải quyết")
    assert any(label.startswith("Không phải trường hợp của bạn?") for label in card.labels)

    fee = await hoa.says("có tốn phí không", until_buttons=True)
    assert fee.shown.startswith("Đăng ký khai sinh")
    assert fee.shown.index("Phí và thời gian giải quyết") < fee.shown.index("Giấy tờ cần chuẩn bị")

    ward = await hoa.says("nhà tôi ở phường Võ Cường", until_buttons=True)
    assert ward.shown.startswith("Đăng ký khai sinh") and "Trung tâm Phục vụ hành chính công phường Võ Cường" in ward.shown

    declined = await hoa.says("quán phở nào ngon ở bắc ninh")
    assert "ngoài phạm vi" in declined.shown and "Đăng ký khai sinh" not in declined.shown

    thanks = await hoa.says("cảm ơn nhé")
    assert "Dạ, không có gì ạ!" in thanks.shown
