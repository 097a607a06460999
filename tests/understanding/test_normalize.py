"""Vietnamese normalisation: tone placement, folding, telex leftovers, chat shorthand, synonyms."""
import unicodedata

import pytest

from bot.understanding.normalize import Normalizer, canonical, fold, tokens, untelex


@pytest.mark.parametrize("a,b", [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("uỷ ban", "ủy ban"),
                                 ("Hoà Bình", "hòa bình")])
def test_both_tone_placements_become_one(a, b):
    assert canonical(a) == canonical(b)


def test_nfd_input_equals_nfc_input():
    text = "Đăng ký khai sinh"
    assert canonical(unicodedata.normalize("NFD", text)) == canonical(text) == "đăng ký khai sinh"


@pytest.mark.parametrize("word", ["hoàng", "người", "giấy", "quả", "tiếp", "khuỷu"])
def test_words_with_a_clear_tone_place_are_unchanged(word):
    assert canonical(word) == word


def test_fold_removes_every_diacritic_including_d_bar():
    assert fold("ĐĂNG KÝ ĐẤT ĐAI") == "dang ky dat dai"
    assert fold("Ðất") == "dat"  # U+00D0, the Icelandic eth, typed for Đ on some keyboards


@pytest.mark.parametrize("typed,meant", [("sinhf", "sinh"), ("ddaats", "dat"), ("honf", "hon"), ("nhaapj", "nhap")])
def test_untelex(typed, meant):
    assert untelex(typed) == meant


def test_tokens_keep_chat_slash_words():
    assert tokens("a/c oi cho e hoi") == ["a/c", "oi", "cho", "e", "hoi"]


def test_normalizer_expands_abbreviations_and_adds_synonyms():
    norm = Normalizer({"ko": "không", "gks": "giấy khai sinh"}, {"sổ đỏ": "giấy chứng nhận quyền sử dụng đất"})
    n = norm("Làm GKS có mất phí ko")
    assert n.tokens[:6] == ("lam", "giay", "khai", "sinh", "co", "mat")
    assert "khong" in n.tokens and "ko" not in n.tokens
    n = norm("sang tên sổ đỏ")
    assert n.tokens == ("sang", "ten", "so", "do", "|", "sang", "ten", "giay", "chung", "nhan", "quyen", "su", "dung", "dat")
    assert norm("sang tên sổ").tokens == ("sang", "ten", "so")


def test_a_shorthand_typed_with_accents_must_be_typed_with_its_own():
    norm = Normalizer({"hông": "không", "dk": "đăng ký", "đk": "đăng ký"}, {})
    assert norm("sổ hồng").tokens == ("so", "hong")  # "hồng" is a colour, not the shorthand "hông"
    assert norm("được hông").tokens == ("duoc", "khong")
    assert norm("duoc hong").tokens == ("duoc", "khong")  # typed without accents: may be either
    assert norm("đk ở đâu").tokens[:2] == norm("dk o dau").tokens[:2] == ("dang", "ky")


def test_a_star_in_a_synonym_stands_for_up_to_two_words():
    norm = Normalizer({}, {"xóa * thế chấp": "xóa đăng ký biện pháp bảo đảm"})
    swapped = lambda text: norm(text).tokens[norm(text).tokens.index("|") + 1:]  # noqa: E731
    assert swapped("xóa dòng thế chấp trên sổ") == ("xoa", "dang", "ky", "bien", "phap", "bao", "dam", "tren", "so")
    assert swapped("xóa thế chấp")[:3] == ("xoa", "dang", "ky")
    assert "|" not in norm("xóa hết mấy dòng thế chấp").tokens  # three words between: not the phrase
