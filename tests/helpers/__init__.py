"""Test helpers (fake Bot API, knowledge trees to break); never imported by the bot package."""
