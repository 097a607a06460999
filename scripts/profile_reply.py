#!/usr/bin/env python3
"""Profile the core's work for one update: `Assistant.reply` and the Telegram HTML rendering.

usage: python scripts/profile_reply.py [--rounds 3] [--top 25] [--sort tottime|cumulative] [--no-render]
           [--no-profile] [FILE.jsonl ...]

Questions: tests/questions.jsonl and tests/english_questions.jsonl unless files are given (one JSON object
a line, its "q"). Each question is answered in a fresh session, as a new chat's first message is. Prints
the time per reply (mean, p50, p99; without the profiler), then cProfile's table of the costliest
functions over the same replies (totals: divide by the number of replies printed above).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answering import render  # noqa: E402
from bot.answering.conversation import Assistant  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402

DEFAULT_FILES = (ROOT / "tests" / "questions.jsonl", ROOT / "tests" / "english_questions.jsonl")


def questions(files) -> list[str]:
    out = []
    for path in files:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["q"])
    return out


def one_update(assistant: Assistant, text: str, rendered: bool) -> None:
    """What the Telegram channel's core work is for a first message: the reply, then its HTML."""
    reply = assistant.reply(text, {})
    if rendered:
        render.to_telegram_html(reply.answer)


def timings(assistant: Assistant, qs: list[str], rounds: int, rendered: bool) -> list[float]:
    out = []
    for _ in range(rounds):
        for q in qs:
            start = time.perf_counter()
            one_update(assistant, q, rendered)
            out.append((time.perf_counter() - start) * 1000)
    return out


def profile(assistant: Assistant, qs: list[str], rounds: int, rendered: bool, sort: str, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        for q in qs:
            one_update(assistant, q, rendered)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=DEFAULT_FILES, help="question files (default: tests' two)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the questions (default 3)")
    parser.add_argument("--top", type=int, default=25, help="functions listed (default 25)")
    parser.add_argument("--sort", default="tottime", choices=("tottime", "cumulative"), help="profile order")
    parser.add_argument("--no-render", action="store_true", help="time the reply only, not its HTML")
    parser.add_argument("--no-profile", action="store_true", help="timings only")
    args = parser.parse_args()
    assistant = Assistant(load_knowledge(ROOT / "knowledge"))
    qs = questions(args.files)
    rendered = not args.no_render
    timings(assistant, qs, 1, rendered)  # warm caches (tone placement, refinements) as a running bot has them
    lat = timings(assistant, qs, args.rounds, rendered)
    p99 = statistics.quantiles(lat, n=100)[98]
    print(f"{len(qs)} questions × {args.rounds} rounds, {'reply + HTML' if rendered else 'reply only'}: "
          f"mean {statistics.fmean(lat):.2f} ms, p50 {statistics.median(lat):.2f} ms, p99 {p99:.2f} ms per update")
    if not args.no_profile:
        print(profile(assistant, qs, args.rounds, rendered, args.sort, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
