"""The Zalo channel: Zalo Bot Platform ↔ the core (see README, "Zalo")."""
