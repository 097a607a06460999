#!/usr/bin/env python3
"""Extract the messages the code uses (t("...")) and merge them into every catalog under bot/answering/locale.

usage: python scripts/update_catalog.py   → rewrites the .po files, lists messages still to translate; exit 1 if any.
"""
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "bot" / "answering" / "locale"


def template() -> Catalog:
    pot = Catalog()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / "bot", method_map=[("**.py", "python")], keywords={"t": None}):
        pot.add(message)
    return pot


def main() -> int:
    pot, missing = template(), 0
    for po_path in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=po_path.parts[-3])
        catalog.update(pot, no_fuzzy_matching=True)
        with po_path.open("wb") as fh:
            write_po(fh, catalog, sort_output=True, no_location=True, ignore_obsolete=True, width=0)
        todo = [m.id for m in catalog if m.id and not m.string]
        missing += len(todo)
        for msgid in todo:
            print(f"{po_path.relative_to(ROOT)}: untranslated: {msgid}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
