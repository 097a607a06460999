"""Specific beats generic: when the question names what makes a procedure specific (gia hạn, chấm dứt, lưu
động, đăng ký lại, cấp lại, rút ...), that one is answered and the common cousin stays among the candidates."""
import pytest

from bot.understanding.matcher import ProcedureIndex, SearchDoc
from bot.understanding.normalize import fold, tokens


def tokenize(text):
    return tokens(fold(text))


DOCS = [
    SearchDoc("giam-ho", (("Đăng ký giám hộ", 1.0), ("làm người giám hộ cho cháu", 1.0)), "Hộ tịch", 1.0),
    SearchDoc("1.004845", (("Đăng ký chấm dứt giám hộ", 1.0),), "Hộ tịch", 0.88),
    SearchDoc("2.000829", (("Yêu cầu trợ giúp pháp lý", 1.0),), "Trợ giúp pháp lý", 0.88),
    SearchDoc("2.001680", (("Rút yêu cầu trợ giúp pháp lý của người được trợ giúp pháp lý", 1.0),), "Trợ giúp pháp lý", 0.88),
    SearchDoc("ket-hon", (("Đăng ký kết hôn", 1.0),), "Hộ tịch", 1.0),
]


@pytest.fixture(scope="module")
def index():
    return ProcedureIndex(DOCS, tokenize, known_words={"toi", "muon", "cho", "chau"})


def ids(index, text):
    return [c.id for c in index.search(tokenize(text))]


def test_the_distinguishing_words_pick_the_specific_procedure(index):
    assert ids(index, "tôi làm người giám hộ cho cháu, giờ muốn chấm dứt giám hộ")[:2] == ["1.004845", "giam-ho"]
    assert ids(index, "tôi muốn rút yêu cầu trợ giúp pháp lý")[0] == "2.001680"  # "của người được ..." not needed


def test_without_them_the_common_one_stays_first(index):
    assert ids(index, "làm người giám hộ cho cháu")[0] == "giam-ho"
    assert ids(index, "yêu cầu trợ giúp pháp lý")[0] == "2.000829"


def test_the_words_must_be_typed_not_only_read_into_a_synonym(understander):
    """"cắt khẩu" (read as "xóa đăng ký thường trú") asked about in passing does not turn "nhập khẩu" into its opposite."""
    u = understander.understand("muốn đón bố mẹ ở quê lên nhập khẩu vào nhà tôi, có cần về quê cắt khẩu trước không")
    assert [c.id for c in u.candidates[:2]] == ["cu-tru/thuong-tru", "cu-tru/xoa-thuong-tru"]


@pytest.mark.parametrize("question,specific,cousin", [
    ("gia hạn tạm trú cần giấy tờ gì", "1.002755", "cu-tru/tam-tru"),
    ("làm đăng ký lại kết hôn ở đâu", "1.004746", "ho-tich/ket-hon"),
    ("cấp lại giấy chứng nhận đăng ký hộ kinh doanh bị rách", "2.000575", "kinh-doanh/thanh-lap-ho-kinh-doanh"),
    ("mất bằng lái xe thì làm sao", "3.000348", "giao-thong/doi-giay-phep-lai-xe"),
])
def test_on_the_shipped_knowledge(understander, knowledge, question, specific, cousin):
    u = understander.understand(question)
    assert u.intent == "procedure" and not u.clarify
    assert u.top.id == knowledge.find(specific).id
    assert cousin in [c.id for c in u.candidates]
