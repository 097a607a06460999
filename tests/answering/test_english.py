"""English for foreign residents: the conversation follows the citizen's language, cards say in English what
they can and point honestly to the Vietnamese facts; every interface message has an English form."""
import re
import tomllib

from babel.messages.extract import extract_from_dir

from bot.answering.i18n import catalog, translator
from bot.understanding.language import WORD, could_be_vietnamese, fold_word, has_vietnamese_marks

from conftest import KNOWLEDGE_DIR, ROOT


def test_an_english_question_gets_an_english_card_that_names_the_procedure_in_vietnamese(assistant):
    session = {}
    card = assistant.reply("How do I register the birth of my baby?", session).answer
    assert session["language"] == "en"
    assert card.kind == "procedure" and card.procedure_id == "ho-tich/khai-sinh"
    assert card.title == "Birth registration" and card.subtitle == "Đăng ký khai sinh"
    assert card.intro.startswith("Registering a newborn's birth")
    assert card.intro.count("in Vietnamese") == 1 and "ask for “Đăng ký khai sinh”" in card.intro
    documents = card.section("documents")
    assert documents.title == "Documents to bring"
    assert any("Giấy chứng sinh" in line for line in documents.lines)  # the paper as the counter staff name it

    fee = assistant.reply("how much does it cost", session).answer
    assert fee.procedure_id == "ho-tich/khai-sinh" and fee.title == "Birth registration"
    assert fee.sections[0].key == "fee_time" and fee.sections[0].title == "Fee and processing time"
    assert fee.sections[0].lines[0] == "Fee: Free"  # one fee for every way of filing: said once, first


def test_money_is_formatted_for_english_readers(assistant):
    session = {}
    card = assistant.reply("How much is the fee to renew my driving licence?", session).answer
    assert card.procedure_id == "giao-thong/doi-giay-phep-lai-xe" and card.sections[0].key == "fee_time"
    assert any(line.startswith("Fee") and "₫135,000" in line for line in card.sections[0].lines)  # babel, en_GB (a fee_text stays as written)


def test_a_mixed_question_is_understood_and_answered_in_its_dominant_language(assistant):
    session = {}
    card = assistant.reply("I want to khai báo tạm trú cho my wife", session).answer
    assert card.procedure_id == "cu-tru/tam-tru" and session["language"] == "en"
    assert card.title == "Temporary residence registration"


def test_writing_vietnamese_again_switches_back(assistant):
    session = {}
    assistant.reply("Where do I get a criminal record certificate?", session)
    card = assistant.reply("Cho tôi hỏi làm hộ chiếu ở đâu ạ?", session).answer
    assert session["language"] == "vi"
    assert card.title == "Cấp hộ chiếu phổ thông ở trong nước" and card.sections[0].title == "Nơi nộp hồ sơ"


def test_a_chosen_language_is_kept_whatever_the_citizen_writes(assistant):
    session = {}
    chosen = assistant.press("lang:vi", session).answer
    assert chosen.title == "Tôi sẽ trả lời bằng Tiếng Việt."
    card = assistant.reply("How do I register a marriage with a foreigner?", session).answer
    assert card.procedure_id == "ho-tich/ket-hon-yeu-to-nuoc-ngoai"
    assert card.title == "Đăng ký kết hôn có yếu tố nước ngoài" and session["language"] == "vi"
    english = assistant.press("lang:en", session).answer
    assert english.title == "I will answer in English."
    assert assistant.reply("Cho tôi hỏi làm hộ chiếu ở đâu ạ?", session).answer.title == "Ordinary passport issued in Vietnam"
    unknown = assistant.press("lang:fr", session).answer
    assert unknown.title == "Bạn muốn dùng ngôn ngữ nào? · Which language?" and [b.action for b in unknown.buttons] == ["lang:vi", "lang:en"]


def test_choices_and_declines_speak_english_too(assistant):
    session = {"language": "en", "language_chosen": True}
    choices = assistant.reply("certify", session).answer
    if choices.kind == "clarify":  # the names offered are the English ones
        assert choices.title == "Which procedure do you mean?"
        assert all(not has_vietnamese_marks(b.label) for b in choices.buttons if b.action.startswith("pick:"))
    decline = assistant.reply("What's the best smartphone to buy?", session).answer
    assert decline.kind == "none" and not any(has_vietnamese_marks(w) for w in WORD.findall(decline.title))


# ---- every interface string has an English form --------------------------------------------------

def used_messages() -> set[str]:
    return {m[2] for m in extract_from_dir(ROOT / "bot", method_map=[("**.py", "python")], keywords={"t": None})}


def vietnamese_words_outside_names(text: str) -> list[str]:
    """Vietnamese words in an English text, leaving out (parenthesised) terms, {placeholders} and Capitalised
    names ("Công an {ward}"): those are the names the counter staff use, which English readers see on purpose."""
    bare = re.sub(r"\([^)]*\)|\{[^}]*\}", " ", text)
    return [w for w in WORD.findall(bare) if has_vietnamese_marks(w) and not w[0].isupper()]


def test_every_interface_message_has_an_english_form_and_a_vietnamese_translation():
    english, vietnamese = translator("en"), catalog("vi")
    untranslated = sorted(m for m in used_messages() if m not in vietnamese)
    assert not untranslated, f"add to bot/answering/locale/vi/LC_MESSAGES/messages.po: {untranslated}"
    not_english = {m: vietnamese_words_outside_names(english(m)) for m in used_messages()}
    assert not {m: w for m, w in not_english.items() if w}, "these messages read as Vietnamese in English"


# ---- the English knowledge ------------------------------------------------------------------------

def curated_files():
    return sorted((KNOWLEDGE_DIR / "local").glob("*/*.toml"))


def numbers(text: str) -> set[str]:
    return {n.lstrip("0") or "0" for n in re.findall(r"\d+", text.replace(",", "").replace(".", ""))}


def test_every_curated_procedure_has_an_english_name_summary_and_aliases():
    for path in curated_files():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data.get("name_en") and data.get("summary_en") and data.get("aliases_en"), path
        assert not vietnamese_words_outside_names(data["name_en"]), path
        # a faithful summary: every number in the English one (fees, days, ages) is in the Vietnamese one
        assert numbers(data["summary_en"]) <= numbers(data["summary"]), (path, numbers(data["summary_en"]) - numbers(data["summary"]))


def test_english_vocabulary_words_are_not_also_vietnamese():
    """A one-word entry must not be a Vietnamese syllable typed without accents ("son" is sơn, "thai" is thai)."""
    vocabulary = tomllib.loads((KNOWLEDGE_DIR / "local" / "english.toml").read_text(encoding="utf-8"))["vocabulary"]
    clashes = [w for w in vocabulary if " " not in w and could_be_vietnamese(fold_word(w))]
    assert not clashes, clashes
