"""Specific siblings, learned from the curated files' `distinguish` lists: a question with the words that set a
listed national record apart from the curated procedure gets that record first, the curated one under it."""
from bot.understanding.documents import situations
from bot.understanding.siblings import sibling_map


def test_the_situation_a_hint_describes_is_vocabulary_for_the_record_it_points_to(knowledge):
    told = situations(knowledge)
    assert any("xe cũ" in s for s in told["1.013076"])  # "Mua xe cũ của người khác: làm Đăng ký sang tên xe"
    assert all(":" not in s and "(" not in s for found in told.values() for s in found)
    assert not any(knowledge.find(pid).curated for pid in told)  # curated procedures have aliases of their own


def test_siblings_are_the_national_records_a_curated_file_lists(knowledge):
    siblings = sibling_map(knowledge)
    assert "1.011443" in siblings["dat-dai/the-chap"]
    assert all(not knowledge.find(s).curated for found in siblings.values() for s in found)


def test_the_words_that_set_a_sibling_apart_put_it_first(understander):
    u = understander.understand("đã tất toán khoản vay, muốn xóa thế chấp ghi trên sổ đỏ thì làm sao")
    assert [c.id for c in u.candidates[:2]] == ["1.011443", "dat-dai/the-chap"] and not u.clarify
    u = understander.understand("hợp đồng mua bán đã chứng thực ở xã, giờ hai bên muốn hủy bỏ hợp đồng thì làm gì")
    assert u.top.id == "2.000913" and "chung-thuc/hop-dong-giao-dich" in [c.id for c in u.candidates]
    # a pair of the sibling's official name the curated one lacks is enough, however common ("nước ngoài")
    u = understander.understand("nhà tôi có khách nước ngoài đến ở vài hôm thì khai báo tạm trú thế nào")
    assert [c.id for c in u.candidates[:2]] == ["1.000253", "cu-tru/tam-tru"]


def test_without_them_the_curated_procedure_stays_first(understander):
    assert understander.understand("muốn thế chấp sổ đỏ để vay ngân hàng").top.id == "dat-dai/the-chap"
    assert understander.understand("chứng thực hợp đồng mua bán đất ở xã").top.id == "chung-thuc/hop-dong-giao-dich"
    # the sibling's subject without its action ("xác nhận số chứng minh nhân dân") is not enough
    assert understander.understand("đổi chứng minh nhân dân sang thẻ căn cước làm ở đâu").top.id == "can-cuoc/cap-the"
