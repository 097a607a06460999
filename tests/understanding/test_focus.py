"""The request in a story: between close readings, the one named in the latest clause (not a side question)."""


def test_what_is_wanted_last_beats_the_background_told_first(understander):
    u = understander.understand("Tôi có sổ đỏ mảnh đất ở quê, nay muốn lập di chúc để lại cho con út. Làm ở đâu?")
    assert u.top.id == "chung-thuc/di-chuc"  # the land certificate is the background
    assert "dat-dai/cap-giay-chung-nhan-lan-dau" in [c.id for c in u.candidates]  # still offered


def test_a_side_question_at_the_end_does_not_take_the_request(understander):
    u = understander.understand("làm khai sinh cho con mất bao nhiêu tiền, có cần mang cccd của vợ chồng không")
    assert u.top.id == "ho-tich/khai-sinh" and "can-cuoc/cap-the" in [c.id for c in u.candidates]


def test_a_specific_record_keeps_its_place_before_its_common_cousin(understander):
    u = understander.understand("tôi đang làm người giám hộ cho cháu, giờ muốn chấm dứt giám hộ, "
                                "trước đây đăng ký giám hộ ở xã")
    assert u.top.id == "1.004845"


def test_a_single_clause_question_is_left_as_it_was(understander):
    assert understander.understand("đăng ký kết hôn cần giấy tờ gì").top.id == "ho-tich/ket-hon"
