"""Zalo's plain-text rendering: parts under 2,000 characters cut cleanly, choices as numbers, links as URLs."""
from bot.answering.answer import Answer, Button, Link, Section
from bot.answering.i18n import translator
from bot.channels.zalo.render import ZALO_LIMIT, size, split_text, to_zalo

t = translator()


def test_short_text_is_one_part():
    assert split_text("Xin chào!\n\nBạn cần hỏi gì?") == ["Xin chào!\n\nBạn cần hỏi gì?"]


def test_long_text_is_cut_at_blank_lines_first():
    blocks = [f"Mục {n}\n" + " ".join(["giấy tờ cần mang"] * 50) for n in range(6)]
    parts = split_text("\n\n".join(blocks))
    assert len(parts) >= 3 and all(size(p) <= ZALO_LIMIT for p in parts)
    assert all(p.startswith("Mục ") for p in parts)  # every part starts where a block starts
    assert "\n\n".join(parts) == "\n\n".join(blocks)  # nothing lost


def test_a_line_longer_than_the_limit_is_cut_between_words_and_nothing_is_lost():
    line = " ".join(f"từ{n}" for n in range(1500))
    parts = split_text(line)
    assert len(parts) >= 2 and all(size(p) <= ZALO_LIMIT for p in parts)
    assert " ".join(parts).split() == line.split()


def test_emoji_count_as_two_and_a_word_without_spaces_is_cut_anyway():
    parts = split_text("👍" * 1500)
    assert [size(p) for p in parts] == [2000, 1000]
    assert all(size(p) <= 50 for p in split_text("x" * 120, limit=50))


def test_choices_are_numbered_once_and_map_to_their_actions():
    answer = Answer("clarify", "Bạn muốn hỏi thủ tục nào?", sections=[Section("choices", "Gần nhất", ["1. A", "2. B"])],
                    buttons=[Button("Đăng ký khai sinh", "pick:ho-tich/khai-sinh"),
                             Button("Đăng ký kết hôn", "pick:ho-tich/ket-hon")])
    rendered = to_zalo(answer, t)
    assert rendered.parts == ["Bạn muốn hỏi thủ tục nào?\n\nTrả lời bằng một số:\n1. Đăng ký khai sinh\n2. Đăng ký kết hôn"]
    assert rendered.actions == ["pick:ho-tich/khai-sinh", "pick:ho-tich/ket-hon"]


def test_links_are_plain_urls_shown_once_and_a_card_ends_with_its_page():
    answer = Answer("procedure", "Đăng ký khai sinh", procedure_id="ho-tich/khai-sinh",
                    sections=[Section("online", "Nộp trực tuyến", ["Trên Cổng"],
                                      [Link("Mở Cổng", "https://dichvucong.gov.vn")])],
                    buttons=[Button("Nộp trực tuyến", url="https://dichvucong.gov.vn"), Button("VNeID", url="https://vneid.gov.vn"),
                             Button("👍", "feedback:ho-tich/khai-sinh:up")])
    text = to_zalo(answer, t, "https://tthc.example/").parts[0]
    assert text.count("https://dichvucong.gov.vn") == 1 and "🔗 VNeID: https://vneid.gov.vn" in text
    assert "https://tthc.example/p/ho-tich/khai-sinh" in text
    assert text.endswith("1. 📋 Tóm tắt để chuyển tiếp\n2. 👍 Hữu ích")
    assert "/p/" not in to_zalo(answer, t).parts[0]  # without BOT_PUBLIC_URL there is no page to link
