"""Property-based (hypothesis): arbitrary text, button data, deep-link payloads and inline queries through the core and
every channel's renderer — no exception, no unescaped markup, every message within its channel's limits.

The core is the real Assistant on the shipped knowledge; inputs are made safe at the edge as every channel does
(`safe_text`) and cut to the channels' 1,000 characters, except where a test says otherwise.
"""
from __future__ import annotations

import json
from html import unescape
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answering.answer import Answer
from bot.answering.conversation import deep_link_payload
from bot.answering.i18n import translator
from bot.answering.render import TELEGRAM_LIMIT, split_message, to_telegram_html, to_text
from bot.channels.web import pages
from bot.channels.zalo.render import ZALO_LIMIT, size, to_zalo
from bot.knowledge.text import safe_text

FRAGMENTS = ["<b>", "</b>", "<a href='javascript:alert(1)'>", "</a>", "<script>alert(1)</script>", "&amp;", "&#x3C;",
             "&", "<", ">", '"', "'", "{code}", "{0}", "%s", "\u202e", "\u200b", "👨‍👩‍👧", "𝕏", "\ufffd", "\n", "\n\n",
             "khai sinh", "làm giấy khai sinh", "sổ đỏ", "bao nhiêu tiền", "ở đâu", "000.00.23.H10-250703-0005",
             "tra cứu hồ sơ", "phường Kinh Bắc", "1", "2", "thứ 7", "aspect:", "pick:", "ho-tich/khai-sinh", ":"]
hostile = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(FRAGMENTS)), max_size=12).map("".join)
VERBS = ["pick", "aspect", "feedback", "status", "browse", "field", "ward", "checklist", "details", "handoff", "lang", ""]
actions = st.one_of(hostile, st.builds(lambda verb, rest: f"{verb}:{rest}", st.sampled_from(VERBS), hostile))
EXAMPLES = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TELEGRAM_TAGS = {"b", "i", "a"}
WEB_TAGS = {"html", "head", "meta", "title", "link", "script", "body", "header", "p", "main", "nav", "a", "button",
            "article", "h1", "h2", "section", "ul", "li", "span", "figure", "img", "figcaption", "details", "summary", "div"}


class Tags(HTMLParser):
    """Every tag opened and closed, and the visible text (entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.opened, self.stack, self.text, self.balanced = [], [], [], True

    def handle_starttag(self, tag, attrs):
        self.opened.append((tag, dict(attrs)))
        if tag not in ("meta", "link", "img"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False

    def handle_data(self, data):
        self.text.append(data)


def parsed(markup: str) -> Tags:
    tags = Tags()
    tags.feed(markup)
    tags.close()
    return tags


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def check_renderings(answer: Answer, pid: str = "x") -> None:
    """Every channel's rendering of `answer`: no exception, only our own tags, within the limits."""
    to_text(answer)
    json.dumps(answer.to_dict(), ensure_ascii=False).encode("utf-8")
    for details in (False, True):
        for part in split_message(to_telegram_html(answer, details)):
            tags = parsed(part)
            assert {t for t, _ in tags.opened} <= TELEGRAM_TAGS and tags.balanced and not tags.stack, part
            assert all(a.get("href", "").startswith(("http://", "https://")) for t, a in tags.opened if t == "a"), part
            assert 0 < utf16("".join(tags.text)) <= TELEGRAM_LIMIT and len(part) <= TELEGRAM_LIMIT
    html = parsed(pages.procedure_html(answer, pid, translator()))
    assert {t for t, _ in html.opened} <= WEB_TAGS, {t for t, _ in html.opened} - WEB_TAGS
    assert [a for t, a in html.opened if t == "script"] == [{"src": "/static/page.js", "defer": None}]
    assert all(not a.get("href", "").lower().startswith("javascript") for _, a in html.opened)
    for part in to_zalo(answer, translator(), "https://tthc.example.vn").parts:
        assert 0 < size(part) <= ZALO_LIMIT


@EXAMPLES
@given(text=hostile, language=st.sampled_from([None, "vi", "en"]))
def test_any_question(assistant, text, language):
    session = {"language": language} if language else {}
    reply = assistant.reply(safe_text(text, 1000), session)
    check_renderings(reply.answer)
    again = assistant.reply(safe_text(text[::-1], 1000), session)  # a follow-up in the same session
    check_renderings(again.answer)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(min_size=3000, max_size=5000))
def test_very_long_questions(assistant, text):
    """Longer than any channel passes on: the core still answers, every message within the limits."""
    check_renderings(assistant.reply(safe_text(text), {}).answer)


@EXAMPLES
@given(action=actions)
def test_any_button_data(assistant, action):
    session = {}
    check_renderings(assistant.press(safe_text(action, 300), session).answer)
    check_renderings(assistant.reply("1", session).answer)  # a number after whatever was offered


@EXAMPLES
@given(payload=st.one_of(hostile, st.sampled_from(["ho-tich_khai-sinh", "1__001193", "_", "__", "faq_x"])))
def test_any_deep_link_payload(assistant, payload):
    check_renderings(assistant.start({}, safe_text(payload, 64)))


@EXAMPLES
@given(query=hostile)
def test_any_inline_query(assistant, query):
    """What inline mode does with a query: the matching procedures, each card rendered."""
    understander = assistant.brain.understander
    for candidate in understander.procedures(understander.normalize(safe_text(query, 1000)), limit=10):
        answer = assistant.procedure(candidate.id, {})
        check_renderings(answer, candidate.id)
        assert deep_link_payload(candidate.id)


def test_the_checks_catch_unescaped_markup():
    """The property is not vacuous: a renderer that let a tag through would fail it."""
    bad = Answer("notice", "<script>alert(1)</script>")
    tags = parsed(f"<b>{bad.title}</b>")
    assert {t for t, _ in tags.opened} - TELEGRAM_TAGS == {"script"}
    assert parsed(unescape("&lt;b&gt;x")).opened == [("b", {})]
