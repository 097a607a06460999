"""What a single turn is, read on the shipped knowledge: the common reading answered directly, small talk,
out-of-scope topics, dossiers already filed, offices, and the words a follow-up has of its own."""
import pytest


def test_the_commonest_question_is_answered_not_asked_back(understander):
    u = understander.understand("làm giấy khai sinh cho con cần giấy tờ gì")
    assert u.intent == "procedure" and not u.clarify and u.top.id == "ho-tich/khai-sinh"
    assert u.aspect == "documents"


def test_a_bare_keyword_that_fits_several_procedures_equally_is_asked_back(understander):
    u = understander.understand("hộ tịch")
    assert u.intent == "procedure" and u.clarify


@pytest.mark.parametrize("text,social,intent", [
    ("Cảm ơn nhé", "thanks", "none"),
    ("ok tks ad", "thanks", "none"),
    ("bạn là ai vậy", "self", "none"),  # no procedure; the conversation answers with its self-introduction
    ("mà ad là ai thế", "self", "none"),
    ("alo có ai ở đây không", "self", "none"),
    ("dự báo thời tiết cuối tuần", "out_of_scope", "none"),
    ("tối nay đội tuyển đá mấy giờ", "out_of_scope", "none"),
    ("dò vé số hôm nay", "out_of_scope", "none"),
    ("mua trả góp điện thoại ở đâu rẻ", "out_of_scope", "none"),
    ("đau bụng uống thuốc gì", "out_of_scope", "none"),
    ("what's the weather like tomorrow", "out_of_scope", "none"),
    ("thời tiết Bắc Ninh hôm nay thế nào", "out_of_scope", "none"),
    ("quán phở ngon ở bắc ninh", "out_of_scope", "none"),
    ("lịch thi đấu bóng đá tối nay", "out_of_scope", "none"),
])
def test_small_talk_is_not_a_procedure(understander, text, social, intent):
    u = understander.understand(text)
    assert (u.social, u.intent) == (social, intent)


def test_off_topic_words_are_read_with_the_accents_typed(understander):
    u = understander.understand("Anh tôi thuộc hộ cận nghèo, mất hôm qua, gia đình cần làm giấy tờ gì")
    assert u.social is None  # "thuộc" is not "thuốc"
    assert understander.understand("thuoc dau dau loai nao tot").social == "out_of_scope"  # typed without accents: may be


def test_a_procedure_named_beside_a_thank_you_is_still_answered(understander):
    u = understander.understand("cảm ơn, cho hỏi thêm đăng ký kết hôn cần gì")
    assert u.intent == "procedure" and u.top.id == "ho-tich/ket-hon"


@pytest.mark.parametrize("text", [
    "hồ sơ đổi sổ đỏ nộp 3 tuần rồi chưa thấy gì",
    "giấy kết hôn nộp từ tuần trước giờ xong chưa",
    "hồ sơ chuyển mục đích đất quá hẹn hai tuần rồi",
    "check tiến độ hồ sơ giúp em",
])
def test_a_dossier_already_filed_is_a_status_question_even_naming_a_procedure(understander, text):
    assert understander.understand(text).intent == "status"


@pytest.mark.parametrize("text", ["thứ 7 có làm việc không", "trung tâm hành chính công ở đâu", "chỗ gửi xe ở đâu"])
def test_office_questions(understander, text):
    assert understander.understand(text).intent == "office"


@pytest.mark.parametrize("text,rest", [("hết bao nhiêu tiền", 0), ("nộp ở đâu vậy", 0), ("thế còn cho vợ tôi", 0),
                                       ("nhà tôi ở phường Kinh Bắc", 0), ("làm trên vneid được không", 1)])
def test_a_follow_up_has_few_words_of_its_own(understander, text, rest):
    assert understander.understand(text).rest == rest


def test_a_ward_named_in_the_question_is_read_and_kept_out_of_matching(understander):
    u = understander.understand("làm giấy khai tử thì nộp ở đâu, nhà tôi ở xã Lục Ngạn")
    assert u.place["name"] == "xã Lục Ngạn" and u.top.id == "ho-tich/khai-tu" and u.aspect == "where"
    assert understander.understand("bắc ninh").intent == "none"


def test_the_current_procedure_can_be_scored_against_a_follow_up(understander):
    u = understander.understand("thế còn xin cấp lại sổ đỏ thì sao")
    assert understander.fit(u, "dat-dai/cap-doi-cap-lai") > understander.fit(u, "ho-tich/khai-sinh")
    assert understander.fit(understander.understand("hết bao nhiêu tiền"), "ho-tich/khai-sinh") == 0.0


def test_a_follow_up_alone_names_no_procedure(understander):
    """Out of a conversation, "thế còn cho vợ tôi" is about nothing yet: no card for a procedure it half-matches."""
    assert understander.understand("thế còn cho vợ tôi").intent == "none"
    assert understander.understand("thế còn đăng ký kết hôn cho vợ tôi").top.id == "ho-tich/ket-hon"


def test_more_office_phrases(understander):
    assert understander.understand("địa chỉ ubnd phường ở đâu").intent == "office"


@pytest.mark.parametrize("text,aspect", [
    ("có phải nộp lệ phí không", "fee"),  # "có phải" marks any yes/no question
    ("làm trên mạng có được không", "online"),
    ("có phải về đúng xã nơi thường trú không", "where"),
    ("điều kiện gì", "conditions"),
    ("có được không", "conditions"),  # nothing else asked
])
def test_conditions_are_the_aspect_only_when_nothing_else_is_asked(understander, text, aspect):
    assert understander.understand(text).aspect == aspect


def test_a_long_story_with_only_weak_readings_is_asked_back_not_dropped(understander):
    u = understander.understand("mấy người họ hàng dưới quê lên chơi, ngủ lại nhà tôi chừng một tuần cho tiện việc, "
                                "vậy tôi có phải đi báo với công an phường không")
    assert u.intent == "procedure" and u.clarify and u.score < understander.thresholds.ask
    assert "2.001159" in [c.id for c in u.candidates[:3]]  # Thông báo lưu trú
    assert understander.understand("con voi bay và múa").intent == "none"  # a short question stays "not found"


@pytest.mark.parametrize("text", ["cần giấy tờ gì", "hết bao nhiêu tiền", "làm ở đâu vậy", "có làm online được không"])
def test_a_turn_of_aspect_words_alone_is_never_answered_as_a_procedure_of_its_own(understander, text):
    u = understander.understand(text)
    assert u.rest == 0 and u.aspect  # the conversation answers it about its current procedure
    assert u.intent == "none" or u.clarify  # on its own: which procedure?
