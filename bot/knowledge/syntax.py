"""TOML syntax errors in plain words for staff: one message per mistake, at the line where the mistake starts.

tomllib reports some mistakes only "at end of document" (a text or list never closed); the line is
then found as the start of the last statement after which the file still reads cleanly.
"""
from __future__ import annotations

import re
import tomllib

from bot.knowledge.staff_text import st

EXPLAINED = (
    (r"Unterminated string|Expected \"'\"", 'a text is not closed: the closing quote " is missing'),
    (r"Unclosed array", "a list [ ... ] is not closed: the closing ] is missing (or a comma or quote inside it)"),
    (r"Unclosed inline table", "a { ... } is not closed: the closing } is missing"),
    (r"Invalid value", 'the value after = is not valid: a text needs quotes ("..."), a date is written 2026-11-27, '
                       "yes/no is true or false"),
    (r"Expected '=' after a key", "this line is not key = value: a key has no spaces (or is in quotes) and is "
                                  "followed by ="),
    (r"Cannot overwrite a value", "a key is written twice in the same table; keep one of the two lines"),
    (r"Cannot declare .* twice", "a [table] header is written twice; keep one (a repeated block is written [[...]])"),
    (r"Expected newline or end of document", "something follows the value on this line: a missing comma between "
                                             "list items, a missing quote, or a time or number written without quotes"),
    (r"Illegal character", "a line break or a control character inside a text: close the quote on the same line "
                           '(a text over several lines is written between """ and """)'),
    (r"Unescaped '\\'", "a backslash \\ inside a text: write \\\\ or put the text in single quotes '...'"),
    (r"Expected '\]\]'|Expected '\]'", "a [table] or [[table]] header is not closed with ] or ]]"),
)


STATEMENT = re.compile(r"""\s*(\[|[A-Za-z0-9_"'-]+\s*=)""")  # a header or `key =`: a new statement


def explain(error: str) -> str:
    """tomllib's English message → what it means for staff, in their language."""
    for pattern, msgid in EXPLAINED:
        if re.search(pattern, error):
            return st(msgid)
    return st("the TOML is not valid here ({error})", error=re.sub(r"\s*\(at .*\)$", "", error))


def _parses(text: str) -> bool:
    try:
        tomllib.loads(text)
        return True
    except tomllib.TOMLDecodeError:
        return False


def error_line(error: str, text: str) -> int:
    """The line tomllib names; for "end of document", the first line of the statement that never closes."""
    lines = text.splitlines()
    if m := re.search(r"line (\d+)", error):
        line = int(m.group(1))
        at_start = re.search(r"column 1\)", error) is not None
        if "Unclosed" in error and at_start and 1 < line <= len(lines) and STATEMENT.match(lines[line - 1]):
            # tomllib stopped at the next statement: the list or table left open is on the line before it
            return max((n for n in range(1, line) if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#")),
                       default=line)
        return line
    for k in range(len(lines), 0, -1):
        if lines[k - 1].strip() and not lines[k - 1].lstrip().startswith("#") and _parses("\n".join(lines[:k - 1])):
            return k
    return 1


def syntax_message(error: str) -> str:
    return st("{what}; check quotes, commas and brackets on that line", what=explain(error))
