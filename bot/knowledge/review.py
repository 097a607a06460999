"""Review items: what staff must still confirm about a procedure, each about one fact or the whole.

A `review` list holds plain texts (about the procedure as a whole) or tables
`{ about = "fee", text = "..." }` naming the key they are about (schema.REVIEW_ABOUT). The card marks
that fact "(chờ xác nhận)" beside it; the wording itself is for staff (`check-knowledge --review`,
/preview), never shown to citizens.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewItem:
    about: str | None  # a key such as "fee", or None for the procedure as a whole
    text: str


def review_items(data: dict) -> list[ReviewItem]:
    """The procedure's review items, in file order, whichever form they were written in."""
    items = []
    for item in data.get("review") or []:
        if isinstance(item, str):
            items.append(ReviewItem(None, item))
        elif isinstance(item, dict) and item.get("text"):
            items.append(ReviewItem(item.get("about") or None, item["text"]))
    return items


def pending(data: dict) -> frozenset[str]:
    """The keys a review item is about (the facts to mark on the card)."""
    return frozenset(i.about for i in review_items(data) if i.about)
