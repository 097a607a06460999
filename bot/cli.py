"""Command line: `python -m bot [COMMAND]`. Each command lives in its own module (add_arguments, command)."""
from __future__ import annotations

import argparse
import importlib
import sys

from bot.knowledge.staff_text import set_staff_language
from bot.running.settings import load_settings

COMMANDS = {
    "run": ("bot.runner", "run the assistant: web chat, and Telegram when TELEGRAM_BOT_TOKEN is set (default)"),
    "chat": ("bot.channels.terminal", "a conversation in this terminal"),
    "ask": ("bot.channels.terminal", "print the answer a citizen would get to one question"),
    "match": ("bot.channels.terminal", "show how questions are understood (--jsonl: one JSON answer per stdin line)"),
    "check-knowledge": ("bot.acceptance", "check the knowledge files; exit 1 on any problem"),
    "import-national": ("bot.knowledge.importer", "import the national procedure records into knowledge/national"),
    "report": ("bot.running.report", "usage figures for staff, as text or an HTML report (--html FILE)"),
}


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """All commands are listed; only the chosen one's module is imported for its arguments."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Trợ lý thủ tục hành chính")
    sub = parser.add_subparsers(dest="command")
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(module=module)
        if name == chosen:
            loaded = importlib.import_module(module)
            (getattr(loaded, f"add_{name.replace('-', '_')}_arguments", None) or loaded.add_arguments)(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    argv = argv or ["run"]
    args = build_parser(argv[0]).parse_args(argv)
    set_staff_language(load_settings().bot_staff_lang)  # check-knowledge, refused reloads: vi unless en
    module = importlib.import_module(args.module)
    handler = getattr(module, f"{args.command.replace('-', '_')}_command", None) or module.command
    return handler(args) or 0
