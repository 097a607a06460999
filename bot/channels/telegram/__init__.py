"""Telegram: python-telegram-bot wiring, handlers, webhook server, staff commands."""
