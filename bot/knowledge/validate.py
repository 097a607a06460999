"""`python -m bot check-knowledge [DIR]`: print every problem as file:line: key: what; how. Exit 1 if any."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.knowledge.checks import catalog_gaps
from bot.knowledge.loader import read_knowledge
from bot.knowledge.paths import DEFAULT_CATALOG, DEFAULT_KNOWLEDGE_DIR


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", nargs="?", default=str(DEFAULT_KNOWLEDGE_DIR), help="knowledge folder")
    parser.add_argument("--catalog", default=str(DEFAULT_CATALOG), help="catalog.tsv to check coverage against")


def command(args, out=sys.stdout) -> int:
    knowledge, problems = read_knowledge(Path(args.dir))
    catalog = Path(args.catalog)
    if catalog.exists():
        problems += catalog_gaps(knowledge, catalog)
    for problem in problems:
        print(problem, file=out)
    curated = sum(p.curated for p in knowledge.procedures.values())
    print(f"{len(knowledge.procedures)} procedures ({curated} curated), {len(knowledge.offices)} offices, "
          f"{len(problems)} problem(s)", file=out)
    return 1 if problems else 0
