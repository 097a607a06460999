"""The web chat: aiohttp app, JSON API, procedure pages."""
