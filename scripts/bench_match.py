#!/usr/bin/env python3
"""Benchmark the matcher: latency per question (p50, p99), index build time and memory.

usage: python scripts/bench_match.py [--size 10000] [--rounds 3]

Runs, side by side in one process on one core, the project's matcher (`ProcedureIndex` behind
`Understander`) and the naive approach (rapidfuzz `process.extractOne` with WRatio over every name
and alias), on the shipped knowledge and on a synthetic knowledge base of --size procedures
whose names and aliases are recombined from the real ones. Questions: tests/questions.jsonl.
Prints a Markdown table (paste it into the README).
"""
import argparse
import json
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from bot.understanding.documents import search_docs  # noqa: E402
from bot.understanding.intents import Understander, pairs_of  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.understanding.matcher import ProcedureIndex, SearchDoc  # noqa: E402
from bot.understanding.normalize import fold  # noqa: E402


def questions() -> list[str]:
    lines = (ROOT / "tests" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["q"] for line in lines if line.strip()]


def synthetic_docs(real: list[SearchDoc], size: int, seed: int = 7) -> list[SearchDoc]:
    """`size` documents: the real ones plus recombinations of their phrases' words."""
    rng = random.Random(seed)
    words = [p.split() for d in real for p, _ in d.phrases]
    docs = list(real)
    while len(docs) < size:
        a, b = rng.choice(words), rng.choice(words)
        name = " ".join(a[: max(2, len(a) // 2)] + b[len(b) // 2:])
        aliases = tuple((" ".join(rng.sample(a + b, min(4, len(a + b)))), 1.0) for _ in range(rng.randint(0, 4)))
        docs.append(SearchDoc(f"synthetic-{len(docs)}", ((name, 1.0), *aliases), "", 0.88))
    return docs


def timed(fn, items, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        for item in items:
            start = time.perf_counter()
            fn(item)
            out.append((time.perf_counter() - start) * 1000)
    return out


def build(factory):
    """(result, seconds, peak MiB): timed without tracing, then built again under tracemalloc for memory."""
    start = time.perf_counter()
    built = factory()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    factory()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return built, seconds, peak


def row(label, n, build_s, mem, lat) -> str:
    p50, p99 = statistics.median(lat), statistics.quantiles(lat, n=100)[98]
    return f"| {label} | {n:,} | {build_s:.2f} s | {mem:.0f} MiB | {p50:.2f} ms | {p99:.2f} ms |"


def bench(label: str, docs: list[SearchDoc], understander: Understander, qs: list[str], rounds: int) -> list[str]:
    norm = understander.normalize
    index, build_s, mem = build(lambda: ProcedureIndex(docs, lambda text: pairs_of(norm(text))))
    prepared = [understander.stopwords.drop_words(pairs_of(norm(q))) for q in qs]
    ours = timed(lambda words: index.search(words), prepared, rounds)
    choices = {i: fold(p) for i, d in enumerate(docs) for p, _ in d.phrases}
    names, nbuild, nmem = build(lambda: [(text, i) for i, text in choices.items()])
    naive_choices = dict(enumerate(t for t, _ in names))
    naive = timed(lambda q: process.extractOne(fold(q), naive_choices, scorer=fuzz.WRatio), qs, rounds)
    speedup = statistics.median(naive) / statistics.median(ours)
    return [row(f"{label}: matcher", len(docs), build_s, mem, ours),
            row(f"{label}: naive WRatio", len(docs), nbuild, nmem, naive) + f" ×{speedup:.0f} slower"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    knowledge = load_knowledge(ROOT / "knowledge")
    (understander, full_build, full_mem) = build(lambda: Understander(knowledge))
    qs = questions()
    end_to_end = timed(understander.understand, qs, args.rounds)
    real = search_docs(knowledge)
    print("| knowledge, approach | procedures | index build | build memory (peak) | p50 | p99 |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(row("shipped: whole understanding (normalise, intents, match)", len(real), full_build, full_mem, end_to_end))
    for line in bench("shipped", real, understander, qs, args.rounds) + \
            bench("synthetic", synthetic_docs(real, args.size), understander, qs, args.rounds):
        print(line)
    print(f"\n{len(qs)} questions × {args.rounds} rounds; Python {sys.version.split()[0]}, one process, one core.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
