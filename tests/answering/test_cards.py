"""Procedure cards built from the shipped knowledge: babel-formatted facts, sources, cautions."""
from bot.answering.cards import checklist, procedure_card
from bot.answering.i18n import translator

t = translator("vi")


def test_fees_are_formatted_by_babel(knowledge):
    card = procedure_card(knowledge, knowledge.find("ho-tich/trich-luc"), t, aspect="fee")
    assert card.sections[0].key == "fee_time"
    assert any("8.000\xa0₫" in line for line in card.sections[0].lines)


def details(card, key):
    return next(s for s in card.details if s.key == key)


def test_source_section_names_code_legal_basis_and_vietnamese_date(knowledge):
    card = procedure_card(knowledge, knowledge.find("ho-tich/khai-sinh"), t)
    source = details(card, "source")
    assert "Mã thủ tục: 1.001193" in source.lines
    assert any("60/2014/QH13" in line for line in details(card, "legal_basis").lines)
    assert any("tháng 11, 2026" in line for line in source.lines)
    assert source.links[0].url.startswith("https://dichvucong.gov.vn/")


def test_review_flags_are_shown_as_a_caution(knowledge):
    proc = knowledge.find("viec-lam/tro-cap-that-nghiep")
    assert proc.data["review"]
    assert procedure_card(knowledge, proc, t).caution.startswith("Một số thông tin đang chờ cán bộ xác nhận")


def test_national_only_procedures_say_they_are_not_reviewed(knowledge):
    card = procedure_card(knowledge, knowledge.find("1.010038"), t)
    assert "chưa được cán bộ tỉnh rà soát" in card.caution and card.title == knowledge.find("1.010038").name


def test_a_fee_the_province_sets_is_never_shown_as_free(knowledge):
    proc = knowledge.find("dat-dai/chuyen-nhuong-tang-cho-thua-ke")
    lines = procedure_card(knowledge, proc, t).section("fee_time").lines
    assert not any("phí: miễn phí" in line.lower() for line in lines)  # "· phí: Miễn phí" or "Phí: Miễn phí"


def test_checklist_is_compact(knowledge):
    card = checklist(knowledge, knowledge.find("ho-tich/ket-hon"), t, ward="phường Kinh Bắc")
    assert [s.key for s in card.sections] == ["documents", "where", "fee_time", "help"]
    where = card.section("where").lines
    assert "Trung tâm Phục vụ hành chính công phường Kinh Bắc" in where[0] or any("Kinh Bắc" in x for x in where)
    assert any(line.startswith("Địa chỉ:") for line in where) and any(line.startswith("Giờ làm việc:") for line in where)
    help_lines = card.section("help").lines
    assert any("Đường dây nóng" in x for x in help_lines) and any("Cập nhật ngày" in x for x in help_lines)
