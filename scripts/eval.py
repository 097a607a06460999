#!/usr/bin/env python3
"""Measure the matcher on a labelled question file.

usage: python scripts/eval.py FILE.jsonl [--misses N] [--knowledge DIR]

Each line: {"q": question, "expect": catalog id | portal code | @status | @office | @none | @greeting,
"style": optional label, "accept": optional list of other right answers}. Prints overall, top-1 and
top-3 accuracy for procedures, accuracy per intent and per style, then the misses.
"""
import argparse
import collections
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.understanding.intents import Understander  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.running.settings import load_settings  # noqa: E402
from bot.channels.terminal import match_record  # noqa: E402

INTENTS = {"@status": "status", "@office": "office", "@none": "none", "@greeting": "greeting"}


def judge(item: dict, got: dict, knowledge) -> tuple[bool, bool]:
    """(top-1 right, top-3 right) for one question."""
    expect = item["expect"]
    if expect in INTENTS:
        ok = got["intent"] == INTENTS[expect]
        return ok, ok
    good = {expect, *item.get("accept", [])}
    good_ids = {p.id for g in good if (p := knowledge.find(g))}
    ok = got["intent"] == "procedure" and got["id"] in good_ids
    return ok, ok or any(c in good_ids for c in got["candidates"][:3])


def pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:5.1f}% ({a}/{b})" if b else "-"


def evaluate(items: list[dict], knowledge) -> dict:
    understander = Understander(knowledge)
    t = collections.Counter()
    per = collections.defaultdict(lambda: [0, 0])
    misses = []
    for item in items:
        got = match_record(understander, knowledge, item["q"])
        ok, ok3 = judge(item, got, knowledge)
        kind = "procedure" if item["expect"] not in INTENTS else INTENTS[item["expect"]]
        t["n"] += 1; t["ok"] += ok; t[f"n_{kind}"] += 1; t[f"ok_{kind}"] += ok; t[f"ok3_{kind}"] += ok3  # noqa: E702
        style = per[item.get("style", "?")]
        style[0] += ok; style[1] += 1  # noqa: E702
        if not ok:
            misses.append((item["q"], item["expect"], got["id"] or got["intent"], got["score"]))
    return {"totals": t, "styles": per, "misses": misses}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--misses", type=int, default=20)
    parser.add_argument("--knowledge", default=None)
    args = parser.parse_args()
    items = [json.loads(line) for line in Path(args.file).read_text(encoding="utf-8").splitlines() if line.strip()]
    knowledge = load_knowledge(args.knowledge or load_settings().bot_knowledge_dir)
    r = evaluate(items, knowledge)
    t = r["totals"]
    print(f"overall            {pct(t['ok'], t['n'])}")
    print(f"procedure top-1    {pct(t['ok_procedure'], t['n_procedure'])}")
    print(f"procedure top-3    {pct(t['ok3_procedure'], t['n_procedure'])}")
    for kind in ("status", "office", "greeting", "none"):
        if t[f"n_{kind}"]:
            print(f"{kind:<18} {pct(t[f'ok_{kind}'], t[f'n_{kind}'])}")
    for style, (ok, n) in sorted(r["styles"].items()):
        print(f"style {style:<12} {pct(ok, n)}")
    for q, exp, got, score in r["misses"][: args.misses]:
        print(f"  MISS {q!r}: expected {exp}, got {got} ({score})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
