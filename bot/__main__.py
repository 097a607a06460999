"""`python -m bot`: see bot/cli.py for the subcommands."""
import sys

from bot.cli import main

sys.exit(main())
