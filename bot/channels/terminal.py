"""The terminal channel: `match` (the stable JSON contract for outside tools), `ask` and `chat`."""
from __future__ import annotations

import argparse
import json
import sys

from bot.knowledge.text import safe_text
from bot.answering.conversation import Assistant
from bot.understanding.intents import Understander
from bot.knowledge.loader import load_knowledge
from bot.answering.render import to_text
from bot.running.settings import load_settings


def _knowledge_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--knowledge", help="knowledge folder (default: BOT_KNOWLEDGE_DIR)")


def add_match_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jsonl", action="store_true", help="read one question per stdin line, write one JSON per line")
    parser.add_argument("question", nargs="*", help="a question (without --jsonl)")
    _knowledge_argument(parser)


def add_ask_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", nargs="+", help="the citizen's question")
    _knowledge_argument(parser)


def add_chat_arguments(parser: argparse.ArgumentParser) -> None:
    _knowledge_argument(parser)


def _load(args):
    return load_knowledge(args.knowledge or load_settings().bot_knowledge_dir)


def match_record(understander: Understander, knowledge, question: str) -> dict:
    """The contract: intent, id (catalog id or portal code), code, candidates, score, clarify, aspect."""
    u = understander.understand(question)
    top = u.top if u.intent == "procedure" else None
    proc = knowledge.find(top.id) if top else None
    return {"intent": u.intent, "id": top.id if top else None, "code": proc.code if proc else None,
            "candidates": [c.id for c in u.candidates[:5]], "score": round(u.score, 4),
            "clarify": bool(u.clarify and top), "aspect": u.aspect}


def match_command(args) -> int:
    knowledge = _load(args)
    understander = Understander(knowledge)
    lines = sys.stdin if args.jsonl else [" ".join(args.question)]
    for line in map(safe_text, lines):
        print(json.dumps(match_record(understander, knowledge, line.rstrip("\n")), ensure_ascii=False), flush=True)
    return 0


def ask_command(args) -> int:
    assistant = Assistant(_load(args))
    print(to_text(assistant.reply(safe_text(" ".join(args.question)), {}).answer))
    return 0


def chat_command(args, stdin=sys.stdin, out=sys.stdout) -> int:
    """A conversation in the terminal: type a question; a number picks a choice; empty line or Ctrl-D quits."""
    assistant, session = Assistant(_load(args)), {}
    print(to_text(assistant.start(session)), file=out)
    print("\n(gõ câu hỏi; dòng trống hoặc Ctrl-D để thoát)", file=out)
    for line in map(safe_text, stdin):
        if not line.strip():
            break
        print(to_text(assistant.reply(line, session).answer) + "\n", file=out, flush=True)
    return 0
