"""`python -m bot check-knowledge [DIR]`: print every problem as file:line: key: what; how. Exit 1 if any."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.knowledge.checks import catalog_gaps
from bot.knowledge.loader import read_knowledge
from bot.knowledge.staff_text import st
from bot.knowledge.paths import DEFAULT_CATALOG, DEFAULT_KNOWLEDGE_DIR


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", nargs="?", default=str(DEFAULT_KNOWLEDGE_DIR), help="knowledge folder")
    parser.add_argument("--catalog", default=str(DEFAULT_CATALOG), help="catalog.tsv to check coverage against")
    parser.add_argument("--drift", action="store_true",
                        help="also compare each curated file with its national record (a report; never fails)")
    parser.add_argument("--review", action="store_true",
                        help="also list every review item (what staff must still confirm), with file and line")


def command(args, out=sys.stdout, serving_check=None) -> int:
    """`serving_check(knowledge)` (bot/acceptance.py: every answer rendered) adds its problems when the files are clean."""
    knowledge, problems = read_knowledge(Path(args.dir))
    catalog = Path(args.catalog)
    if catalog.exists():
        problems += catalog_gaps(knowledge, catalog)
    if serving_check is not None and not problems:
        problems += serving_check(knowledge)
    for problem in problems:
        print(problem, file=out)
    staff_reports(knowledge, args, out)
    curated = sum(p.curated for p in knowledge.procedures.values())
    print(st("{procedures} procedures ({curated} curated), {offices} offices, {problems} problem(s)",
             procedures=len(knowledge.procedures), curated=curated, offices=len(knowledge.offices),
             problems=len(problems)), file=out)
    return 1 if problems else 0


def staff_reports(knowledge, args, out) -> None:
    """--drift and --review: lists for staff, printed after the problems; they never change the exit code."""
    from bot.knowledge.drift import drift_problems, review_lines

    if getattr(args, "drift", False):
        found = drift_problems(knowledge)
        print(st("Differences from the national records ({n}):", n=len(found)), file=out)
        for problem in found:
            print(problem, file=out)
    if getattr(args, "review", False):
        items = review_lines(knowledge)
        print(st("Items waiting for staff confirmation ({n}):", n=len(items)), file=out)
        for line in items:
            print(line, file=out)
