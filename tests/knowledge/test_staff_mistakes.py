"""A corpus of 40 staff mistakes, each a small edit of a REAL knowledge file, run through `check-knowledge` as staff run it.

Each one is either refused with exactly ONE message, in Vietnamese, naming the file and the line of the
mistake, or understood (a common spelling whose meaning is certain), normalised and served: every
answer renders. Nothing passes the check and then fails at answer time.
"""
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.answering.conversation import Assistant
from bot.answering.render import to_text
from bot.cli import build_parser
from bot.knowledge.loader import load_knowledge
from bot.knowledge.staff_text import set_staff_language
from bot import acceptance

from helpers.real_knowledge import copy_real_knowledge, line_of

OF, P, F, PR, L = ("local/offices.toml", "local/ho-tich/khai-sinh.toml", "local/faq.toml", "local/province.toml",
                  "local/lexicon.toml")
HOURS = 'days = ["1", "2", "3", "4", "5"]'
FEE = 'fee = 0\nnote = "Miễn lệ phí khi đăng ký đúng hạn."'
SOURCE = 'source = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7"\nchecked'
VIETNAMESE = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹàáèéìíòóùúý]")
ENGLISH = ("should be", "missing;", "unknown key", "check quotes", "is not a", "is written below")


@dataclass
class Mistake:
    name: str
    file: str
    edits: list  # (old, new) pairs, each replaced once
    key: str | None = None  # refused: the key named; None: understood and served
    marker: str | None = None  # a text on the line the message must name (default: the first edit's new text)
    served: object = None  # understood: a check on the loaded knowledge


def hours(k, n=0):
    return k.offices["ttpvhcc-tinh"]["hours"][n]


def method(k):
    return k.find("ho-tich/khai-sinh").data["methods"][0]


MISTAKES = [
    # offices.toml: times and days as staff write them
    Mistake("time 7h30", OF, [('open = "07:30"', 'open = "7h30"')], served=lambda k: hours(k)["open"] == "07:30"),
    Mistake("time 07.30", OF, [('open = "07:30"', 'open = "07.30"')], served=lambda k: hours(k)["open"] == "07:30"),
    Mistake("time 7:30", OF, [('open = "07:30"', 'open = "7:30"')], served=lambda k: hours(k)["open"] == "07:30"),
    Mistake("TOML time", OF, [('open = "07:30"', "open = 07:30:00")], served=lambda k: hours(k)["open"] == "07:30"),
    Mistake("days as a range", OF, [(HOURS, 'days = "thứ 2 - thứ 6"')], served=lambda k: hours(k)["days"] == list("12345")),
    Mistake("Thứ 7", OF, [(HOURS, 'days = ["Thứ 7"]')], served=lambda k: hours(k)["days"] == ["6"]),
    Mistake("T2 ... T6", OF, [(HOURS, 'days = ["T2", "T3", "T4", "T5", "T6"]')],
            served=lambda k: hours(k)["days"] == list("12345")),
    Mistake("CN", OF, [(HOURS, 'days = ["CN"]')], served=lambda k: hours(k)["days"] == ["7"]),
    Mistake("closing before opening", OF, [('close = "11:30"', 'close = "06:00"')], "office[1].hours[1].close"),
    Mistake("hour 25", OF, [('open = "07:30"', 'open = "25:00"')], "office[1].hours[1].open"),
    Mistake("time without quotes", OF, [('open = "07:30"', "open = 07:30")], "(syntax)"),
    Mistake("time in words", OF, [('open = "07:30"', 'open = "7 rưỡi"')], "office[1].hours[1].open"),
    Mistake("day 8", OF, [(HOURS, 'days = ["8"]')], "office[1].hours[1].days"),
    Mistake("key below [[office.hours]]", OF, [("checked = 2026-11-27\n", ""),
                                              ('close = "11:30"\n', 'close = "11:30"\nchecked = 2026-11-27 # moved\n')],
            "office[1].hours[1].checked", marker="# moved"),
    Mistake("unclosed quote: one message, not one per office", OF,
            [('name = "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh"', 'name = "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh')],
            "(syntax)"),
    Mistake("id with capitals and spaces", OF, [('id = "ttpvhcc-tinh"', 'id = "TTPVHCC Tỉnh"')], "office[1].id"),
    Mistake("kind in Vietnamese", OF, [('kind = "province_centre"', 'kind = "trung tâm tỉnh"')], "office[1].kind"),
    Mistake("checked ten years ahead", OF, [("checked = 2026-11-27", "checked = 2036-11-27")], "office[1].checked"),
    # a curated procedure
    Mistake("fee with dots and đồng", P, [(FEE, FEE.replace("fee = 0", 'fee = "8.000 đồng"'))],
            served=lambda k: method(k)["fee"] == 8000),
    Mistake("negative fee", P, [(FEE, FEE.replace("fee = 0", "fee = -5000"))], "methods[1].fee"),
    Mistake("fee in words", P, [(FEE, FEE.replace("fee = 0", 'fee = "tám nghìn"'))], "methods[1].fee"),
    Mistake("checked in the future", P, [("checked = 2026-11-27", "checked = 2036-01-01")], "checked"),
    Mistake("checked day/month/year", P, [("checked = 2026-11-27", 'checked = "27/11/2026"')],
            served=lambda k: k.find("ho-tich/khai-sinh").data["checked"] == "2026-11-27"),
    Mistake("link without https", P, [(SOURCE, 'source = "dichvucong.gov.vn"\nchecked')], "source"),
    Mistake("missing comma in a list", P, [('keywords = ["khai sinh", "giấy chứng sinh"', 'keywords = ["khai sinh" "giấy chứng sinh"')],
            "(syntax)"),
    Mistake("unclosed quote", P, [('name = "Đăng ký khai sinh"', 'name = "Đăng ký khai sinh')], "(syntax)"),
    Mistake("unknown office", P, [('offices = ["ttpvhcc-kinh-bac", ', 'offices = ["ttpvhcc-kinh-bac-cu", ')], "where.offices"),
    Mistake("unknown portal code", P, [('portal_codes = ["1.001193"]', 'portal_codes = ["1.999999"]')], "portal_codes"),
    Mistake("method kind in Vietnamese", P, [('kind = "in_person"', 'kind = "trực tiếp"')], "methods[1].kind"),
    Mistake("9999 days", P, [("days = 1\nfee = 0\nnote", "days = 9999\nfee = 0\nnote")], "methods[1].days"),
    Mistake("key below [where]", P, [("checked = 2026-11-27\n", ""), ("[where]\n", "[where]\nchecked = 2026-11-27 # moved\n")],
            "where.checked", marker="# moved"),
    Mistake("misspelt required key", P, [('summary = """', 'sumary = """')], "sumary"),
    Mistake("byte-order mark (Notepad)", P, [("", "\ufeff")], served=lambda k: k.find("ho-tich/khai-sinh").curated),
    Mistake("Windows line endings", P, [("\n", "\r\n")], served=lambda k: k.find("ho-tich/khai-sinh").curated),
    Mistake("saved in a legacy encoding", P, [("cp1258", "")], "(file)", marker="# "),  # line 1: the first byte that is not UTF-8
    # faq, province, lexicon
    Mistake("faq link without https", F, [('links = ["https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-b5a6',
                                           'links = ["dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-b5a6')], "faq[1].links"),
    Mistake("hotline deleted", PR, [('hotline = "18001096"\n', "")], "hotline", marker="# "),  # line 1: top level
    Mistake("broken {code} placeholder", PR, [('url = "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html"',
                                               'url = "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html?ma={code"')],
            "status_lookup.url"),
    Mistake("stopwords below [aspects]", L, [("[aspects]\n", '[aspects]\nstopwords = ["ạ"]\n')], "aspects.stopwords",
            marker='stopwords = ["ạ"]'),
    Mistake("abbreviation as a list", L, [("[abbreviations]\n", '[abbreviations]\nzzq = ["bao nhiêu"]\n')], "abbreviations"),
]


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    return copy_real_knowledge(tmp_path_factory.mktemp("real") / "knowledge")


@pytest.fixture
def vietnamese():
    set_staff_language("vi")


def apply(path: Path, edits) -> None:
    if edits[0][0] == "cp1258":
        text = unicodedata.normalize("NFD", path.read_text(encoding="utf-8"))  # cp1258 composes with tone marks
        path.write_bytes(text.encode("cp1258", errors="replace"))
        return
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        if old == "":
            text = new + text
        elif old == "\n":
            text = text.replace("\n", new)
        else:
            assert old in text, f"{old!r} not in {path}"
            text = text.replace(old, new, 1)
    path.write_bytes(text.encode("utf-8"))


def check_knowledge(root: Path) -> tuple[int, list[str]]:
    """`python -m bot check-knowledge DIR` in-process (the real parser, the real command)."""
    args = build_parser("check-knowledge").parse_args(["check-knowledge", str(root), "--catalog", "/nonexistent"])
    out = io.StringIO()
    code = acceptance.command(args, out=out)
    return code, out.getvalue().splitlines()[:-1]  # the last line is the summary


def test_the_corpus_has_at_least_30_mistakes():
    assert len(MISTAKES) >= 30 and len({m.name for m in MISTAKES}) == len(MISTAKES)


def test_the_real_copy_is_clean(real, vietnamese):
    code, lines = check_knowledge(real)
    assert code == 0 and lines == []


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_each_mistake_is_refused_once_in_vietnamese_or_served(real, vietnamese, mistake):
    path = real / mistake.file
    original = path.read_bytes()
    try:
        apply(path, mistake.edits)
        code, lines = check_knowledge(real)
        if mistake.key is None:
            assert code == 0 and lines == [], lines
            knowledge = load_knowledge(real)
            assert mistake.served(knowledge)  # understood, normalised; check-knowledge rendered every answer
            answer = Assistant(knowledge).reply("làm giấy khai sinh cho con cần gì", {})
            assert "Đăng ký khai sinh" in to_text(answer.answer)
            return
        assert code == 1 and len(lines) == 1, lines
        (line,) = lines
        marker = mistake.marker or next(x for x in mistake.edits[0][1].splitlines() if x.strip())
        where = f"{path.as_posix()}:{line_of(path, marker)}: {mistake.key}: "
        assert line.startswith(where), (line, where)
        message = line[len(where):]
        assert VIETNAMESE.search(message) and not any(e in message for e in ENGLISH), message
    finally:
        path.write_bytes(original)


def test_english_when_staff_choose_it(real):
    """BOT_STAFF_LANG=en (the conftest sets English for the other tests): the same mistake, in English."""
    set_staff_language("en")
    path = real / OF
    original = path.read_bytes()
    try:
        apply(path, [('close = "11:30"', 'close = "06:00"')])
        code, (line,) = check_knowledge(real)
        assert code == 1 and "closing time 06:00 is not after opening time 07:30" in line
    finally:
        path.write_bytes(original)
