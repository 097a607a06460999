"""`python -m bot --help` lists every command; each command module provides its arguments."""
import importlib

import pytest

from bot.cli import COMMANDS, build_parser


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_its_handler(name):
    module = importlib.import_module(COMMANDS[name][0])
    snake = name.replace("-", "_")
    assert getattr(module, f"{snake}_command", None) or getattr(module, "command")
    build_parser(name)  # the command's own arguments can be added
