"""How long is the short part of each curated procedure card, per channel?

usage: python scripts/card_sizes.py [--list N] [--all] [--knowledge DIR]

The short part is what a citizen sees before "Chi tiết": title, intro, the `sections` (papers, where,
fee and time, online, status) and the closing line, as each channel renders it with no ward known:
Telegram HTML as the handler sends it (`to_telegram_html`, tags and URLs counted; the bot splits at 4,096),
the web chat's text (titles, lines and link labels; the URLs are hidden behind the labels) and Zalo's plain
text (links as URLs, the numbered choices; UTF-16 units, messages of 2,000). Two screens of a 390-pixel phone
hold about 2,000 characters.
Prints min / median / max per channel, how many cards exceed one Telegram message and two screens,
and the longest cards; --all measures the national records too.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answering.conversation import Assistant
from bot.answering.i18n import translator
from bot.answering.render import TELEGRAM_LIMIT, to_telegram_html, url_buttons
from bot.channels.zalo.render import size, to_zalo
from bot.knowledge.loader import load_knowledge

TWO_SCREENS = 2000  # characters two screens of a 390-px phone show, roughly


def web_text(card) -> str:
    """What the web chat shows before "Chi tiết" is opened (link labels, not their URLs)."""
    out = [card.title, card.subtitle, card.intro]
    for s in card.sections:
        out += [s.title, *s.lines, *(link.label for link in s.links)]
    return "\n".join([line for line in out if line] + ([card.caution] if card.caution else []))


def telegram_html(card) -> str:
    """As the Telegram handler sends it: the keyboard carries the buttons' links, the text does not repeat them."""
    return to_telegram_html(card, shown=url_buttons(card))


def zalo_text(card) -> str:
    return "\n\n".join(to_zalo(card, translator("vi")).parts)


CHANNELS = {"telegram": telegram_html, "web": web_text, "zalo": zalo_text}


def measure(knowledge, everything: bool = False) -> dict[str, dict[str, int]]:
    """{channel: {procedure id: characters of the short part}} for every curated procedure (or every one)."""
    assistant = Assistant(knowledge)
    out: dict[str, dict[str, int]] = {name: {} for name in CHANNELS}
    for proc in sorted((p for p in knowledge.procedures.values() if everything or p.curated), key=lambda p: p.id):
        card = assistant.procedure(proc.id, {})
        for name, render in CHANNELS.items():
            out[name][proc.id] = size(render(card)) if name == "zalo" else len(render(card))
    return out


def table(sizes: dict[str, dict[str, int]]) -> list[str]:
    rows = ["| channel | cards | min | median | max | over 4,096 | over 2,000 (two screens) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, per_card in sizes.items():
        values = list(per_card.values())
        over_limit = sum(v > TELEGRAM_LIMIT for v in values)
        over_screens = sum(v > TWO_SCREENS for v in values)
        rows.append(f"| {name} | {len(values)} | {min(values):,} | {round(statistics.median(values)):,} | "
                    f"{max(values):,} | {over_limit} | {over_screens} |")
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", type=int, default=5, help="show the N longest Telegram cards")
    parser.add_argument("--knowledge", default=str(ROOT / "knowledge"))
    parser.add_argument("--all", action="store_true", help="every procedure, the national records too")
    args = parser.parse_args(argv)
    sizes = measure(load_knowledge(Path(args.knowledge)), args.all)
    print("\n".join(table(sizes)))
    longest = sorted(sizes["telegram"].items(), key=lambda kv: -kv[1])[:args.list]
    if longest:
        print("\nlongest (Telegram):", ", ".join(f"{pid} {n:,}" for pid, n in longest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
