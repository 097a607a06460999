"""Staff messages: every one has a Vietnamese translation (code, schema help texts, kind words, TOML explanations);
Vietnamese by default, English with BOT_STAFF_LANG=en, one message for a syntax error."""
import os
import subprocess
import sys

from babel.messages.extract import extract_from_dir

from bot.knowledge import schema, schema_check, syntax
from bot.knowledge.staff_text import set_staff_language, st, staff_catalog

from conftest import ROOT
from helpers.knowledge_tree import make_tree, replace_in


def schema_helps() -> set[str]:
    found = set()

    def walk(keys):
        for key in keys:
            found.add(key.help)
            walk(key.keys)

    for value in vars(schema).values():
        if isinstance(value, tuple) and value and isinstance(value[0], schema.Key):
            walk(value)
    for keys in schema.SPECIAL_FILES.values():
        walk(keys)
    return found - {""}


def staff_messages() -> set[str]:
    in_code = {m[2] for m in extract_from_dir(ROOT / "bot", method_map=[("**.py", "python")], keywords={"st": None})}
    return in_code | set(schema_check.KIND_WORDS.values()) | {m for _, m in syntax.EXPLAINED} | schema_helps()


def test_every_staff_message_has_a_vietnamese_translation():
    missing = staff_messages() - set(staff_catalog("vi"))
    assert not missing, f"add these to bot/knowledge/locale/vi/LC_MESSAGES/staff.po: {sorted(missing)}"


def test_translations_keep_the_placeholders():
    import string

    for msgid, text in staff_catalog("vi").items():
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(msgid) if f}
        except ValueError:  # a help text showing TOML braces, never formatted
            continue
        assert names == {f for _, f, _, _ in string.Formatter().parse(text) if f}, msgid


def test_the_language_is_chosen_once():
    set_staff_language("vi")
    assert st("missing; add {what} ({help})", what="x", help="y") == "còn thiếu; thêm x (y)"
    set_staff_language("en")
    assert st("missing; add {what} ({help})", what="x", help="y") == "missing; add x (y)"
    set_staff_language("fr")  # unknown: Vietnamese
    assert st("street address") == "địa chỉ"


def run_check(tree, **env):
    return subprocess.run([sys.executable, "-m", "bot", "check-knowledge", str(tree), "--catalog", "/nonexistent"],
                          cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env})


def test_check_knowledge_speaks_vietnamese_by_default_and_english_when_asked(tmp_path):
    tree = make_tree(tmp_path / "k")
    replace_in(tree / "local" / "offices.toml", 'close = "11:30"', 'close = "06:00"')
    env = {k: v for k, v in os.environ.items() if k != "BOT_STAFF_LANG"}
    vi = subprocess.run([sys.executable, "-m", "bot", "check-knowledge", str(tree), "--catalog", "/nonexistent"],
                        cwd=ROOT, capture_output=True, text=True, env=env)
    assert vi.returncode == 1 and "giờ đóng cửa 06:00 không sau giờ mở cửa 07:30" in vi.stdout
    assert vi.stdout.strip().endswith("1 lỗi")
    en = run_check(tree, BOT_STAFF_LANG="en")
    assert en.returncode == 1 and "closing time 06:00 is not after opening time 07:30" in en.stdout


def test_a_syntax_error_is_one_message_at_the_line_it_starts(tmp_path):
    """An unclosed list in the middle of a file: tomllib says "end of document"; staff get line 9, once."""
    tree = make_tree(tmp_path / "k")
    path = tree / "local" / "ho-tich" / "khai-sinh.toml"
    replace_in(path, 'aliases = ["làm giấy khai sinh", "gks"]', 'aliases = ["làm giấy khai sinh", "gks"')
    set_staff_language("vi")
    from bot.knowledge.loader import read_knowledge

    problems = [p for p in read_knowledge(tree)[1] if p.file.endswith("khai-sinh.toml")]
    assert len(problems) == 1 and problems[0].line == 5 and problems[0].key == "(syntax)"
    assert "danh sách [ ... ] chưa được đóng" in problems[0].message
