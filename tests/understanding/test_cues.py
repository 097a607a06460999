"""Phrase lists: accent-insensitive, word-bounded, with a '*' wildcard of up to three words."""
from bot.understanding.cues import PhraseSet


def test_phrases_match_whole_words_without_accents():
    cues = PhraseSet(["mã hồ sơ", "hi"])
    assert cues.count("cho toi xem ma ho so") == 1
    assert cues.count("chi tiet") == 0  # "hi" is not inside "chi"


def test_wildcard_spans_up_to_three_words():
    cues = PhraseSet(["nộp * hôm qua"])
    assert cues.count("em nop ho so hom qua") == 1
    assert cues.count("nop ho so hom qua") == 1
    assert cues.count("nop mot hai ba bon nam hom qua") == 0


def test_remove_and_first_position():
    cues = PhraseSet(["cho tôi hỏi", "phí"])
    assert cues.remove("cho toi hoi phi lam giay") == "lam giay"
    assert cues.first_position("lam giay phi") == 9
    assert cues.first_position("lam giay") is None
