"""safe_text's short cut for printable ASCII (most of every Bot API payload) gives what the full cleaning gives."""
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.knowledge.text import CONTROL, REPLACEMENT, UNENCODABLE, parse_json, safe_text


def cleaned(text: str, limit: int | None = None) -> str:
    """The full cleaning, step by step, with no short cut."""
    text = unicodedata.normalize("NFC", CONTROL.sub(" ", UNENCODABLE.sub(REPLACEMENT, text)))
    return text[:limit] if limit is not None else text


ASCII = st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40)
ANY = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40)


@given(st.one_of(ASCII, ANY), st.one_of(st.none(), st.integers(0, 50)))
def test_the_short_cut_changes_nothing(text, limit):
    assert safe_text(text, limit) == cleaned(text, limit)
    assert type(safe_text(text, limit)) is str


def test_edge_cases_of_the_short_cut():
    for text in ("", " ", "message_id", "a\tb", "a\nb", "a\x7fb", "a\x00b", "\x1b[0m", "~", "e\u0301", "\ud800",
                 "ok\u200b", "chữ", "A" * 5000):
        for limit in (None, 0, 1, 3, 4096):
            assert safe_text(text, limit) == cleaned(text, limit), (text, limit)

    class Shout(str):
        pass

    assert type(safe_text(Shout("abc"))) is str  # a str subclass takes the full path, as before
    assert parse_json(b'{"ok": true, "result": {"text": "a\\u0000b", "chat": {"type": "private"}}}') == \
        {"ok": True, "result": {"text": "a b", "chat": {"type": "private"}}}
