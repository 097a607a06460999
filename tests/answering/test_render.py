"""Renderings of the answer model: text for the terminal, escaped HTML for Telegram, clean splitting."""
from bot.answering.answer import Answer, Button, Link, Section
from bot.answering.render import split_message, to_telegram_html, to_text

ANSWER = Answer("procedure", "Đăng ký <khai sinh>", intro="a & b", caution="chờ xác nhận",
                sections=[Section("documents", "Giấy tờ", ["☐ <script>x</script>"], [Link("Cổng", "https://x.vn/?a=1&b=2")])],
                buttons=[Button("1", "pick:a")])


def test_telegram_html_escapes_every_string():
    html = to_telegram_html(ANSWER)
    assert "<b>Đăng ký &lt;khai sinh&gt;</b>" in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert 'href="https://x.vn/?a=1&amp;b=2"' in html and "a &amp; b" in html


def test_text_rendering_lists_sections_links_and_choices():
    text = to_text(ANSWER)
    assert text.startswith("ĐĂNG KÝ <KHAI SINH>") and "Giấy tờ:" in text and "https://x.vn/?a=1&b=2" in text
    assert "[1] 1" in text


def test_split_keeps_every_part_under_the_limit_and_loses_nothing():
    text = "\n\n".join(f"<b>Mục {i}</b>\n" + "dòng dài " * 60 for i in range(40))
    parts = split_message(text, 4096)
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")
    assert all(p.count("<b>") == p.count("</b>") for p in parts)


def test_a_single_huge_line_is_cut_hard():
    parts = split_message("x" * 10000, 4096)
    assert [len(p) for p in parts] == [4096, 4096, 1808]
