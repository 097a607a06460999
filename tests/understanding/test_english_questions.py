"""English questions of foreign residents (the project's own, tests/english_questions.jsonl) are understood about
as well as Vietnamese ones: through the English aliases of the curated procedures and english.toml's vocabulary."""
import json

from conftest import ROOT

QUESTIONS = [json.loads(line) for line in (ROOT / "tests" / "english_questions.jsonl").read_text(encoding="utf-8").splitlines()]
INTENTS = {"@status": "status", "@office": "office", "@none": "none"}


def right(understander, item) -> bool:
    u = understander.understand(item["q"])
    if item["expect"] in INTENTS:
        return u.intent == INTENTS[item["expect"]]
    good = {item["expect"], *item.get("accept", [])}
    return u.intent == "procedure" and u.top is not None and u.top.id in good


def test_english_questions_are_understood(understander):
    missed = [item["q"] for item in QUESTIONS if not right(understander, item)]
    assert len(missed) <= 0.1 * len(QUESTIONS), missed


def test_an_english_question_finds_what_its_vietnamese_twin_finds(understander):
    pairs = [("How do I register the birth of my baby?", "làm giấy khai sinh cho con"),
             ("Where do I get a criminal record certificate?", "xin phiếu lý lịch tư pháp ở đâu"),
             ("How do I exchange my driving licence?", "đổi bằng lái xe"),
             ("How do I register a marriage with a foreigner?", "đăng ký kết hôn với người nước ngoài")]
    for english, vietnamese in pairs:
        assert understander.understand(english).top.id == understander.understand(vietnamese).top.id, english


def test_english_filler_words_are_not_dropped_from_vietnamese_questions(understander):
    # "so do" is sổ đỏ typed without accents; in an English question "so" and "do" are filler words
    assert understander.understand("sang ten so do o dau").top.id == "dat-dai/chuyen-nhuong-tang-cho-thua-ke"
