"""Locating keys in TOML and JSON text, and the problem format staff read."""
from bot.knowledge.problems import LineFinder, Problem, key_name

TOML = '''name = "x"
[[documents]]
name = "a"
[[documents]]
name = "b"
count = 2
[where]
level = "xa"
[[office]]
id = "o1"
[[office.hours]]
open = "7"
[[office.hours]]
open = "8"
'''


def test_key_names_count_from_one():
    assert key_name(("documents", 1, "count")) == "documents[2].count"
    assert key_name(()) == "(file)"


def test_lines_of_nested_keys():
    finder = LineFinder(TOML)
    assert finder.line_of(("name",)) == 1
    assert finder.line_of(("documents", 1, "count")) == 6
    assert finder.line_of(("documents", 0, "name")) == 3
    assert finder.line_of(("where", "level")) == 8
    assert finder.line_of(("office", 0, "hours", 1, "open")) == 14


def test_json_lines():
    finder = LineFinder('{\n "code": "1",\n "methods": [\n  {"fee": "x"}\n ]\n}', is_json=True)
    assert finder.line_of(("code",)) == 2 and finder.line_of(("methods",)) == 3


def test_problem_reads_file_line_key_message():
    assert str(Problem("a.toml", 3, "fee", "should be a number")) == "a.toml:3: fee: should be a number"
