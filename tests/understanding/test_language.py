"""Which language a message is written in: English or Vietnamese, mixed → the dominant one, short → undecided."""
import pytest

from bot.understanding.language import conversation_language, could_be_vietnamese, detect


@pytest.mark.parametrize("text", [
    "How do I register the birth of my baby?",
    "How much does it cost?",
    "Is there a fee?",
    "What papers do I need?",
    "I live in Yen Phong commune.",
    "they only stay for 2 weeks, do they need to register?",
])
def test_english_questions_are_english(text):
    assert detect(text) == "en"


@pytest.mark.parametrize("text", [
    "làm giấy khai sinh cho con cần gì",
    "sang ten so do o dau",  # no accents: the function words still speak Vietnamese
    "lm gks cho con mất bn tiền",  # chat shorthand
    "hok bik lam sao",
    "fee bao nhiêu vậy",  # one English word in a Vietnamese sentence
    "Có submit online rồi nhận qua bưu điện được không?",
    "Mình định đi Singapore mà passport hết hạn rồi, renew ở đâu nhanh nhất?",
])
def test_vietnamese_questions_are_vietnamese(text):
    assert detect(text) == "vi"


def test_a_mixed_question_counts_as_its_dominant_language():
    assert detect("I want to khai báo tạm trú cho my wife") == "en"  # the sentence is English, the names Vietnamese
    assert detect("cho em hỏi đăng ký temporary residence ở đâu ạ") == "vi"


@pytest.mark.parametrize("text", ["gks", "1", "cccd", "tạm trú", "", "ok"])
def test_a_word_or_two_does_not_decide(text):
    assert detect(text) is None


def test_words_that_are_also_vietnamese_say_nothing():
    # typed without accents, "to", "do", "so", "can" are tờ, đỏ, sổ, cần
    assert could_be_vietnamese("so") and could_be_vietnamese("nghieng") and could_be_vietnamese("khuyu")
    assert not could_be_vietnamese("register") and not could_be_vietnamese("fee")
    assert detect("so do can to") is None


def test_a_conversation_changes_language_only_on_clear_evidence():
    assert conversation_language("How long does it take?", "vi") == "en"
    assert conversation_language("ok thanks", "vi") == "vi"  # too little to switch
    assert conversation_language("Vo Cuong ward", "en") == "en"  # a place name is not Vietnamese prose
    assert conversation_language("Cảm ơn, vậy nộp ở đâu ạ?", "en") == "vi"
    assert conversation_language("tạm trú", "en") == "en"
