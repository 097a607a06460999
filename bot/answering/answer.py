"""The one answer model: built once by the core, rendered by each channel (Telegram HTML, web JSON, text).

Everything here is plain text (no markup); renderers escape it. Buttons carry an `action` the
core understands when a channel sends it back (see `Assistant.press`).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Answer kinds
PROCEDURE, CLARIFY, STATUS, OFFICE, GREETING, NONE, FAQ, BROWSE, WARD, CHECKLIST, NOTICE = (
    "procedure", "clarify", "status", "office", "greeting", "none", "faq", "browse", "ward", "checklist", "notice")
DETAILS = "details"  # the "Chi tiết" part of a procedure card, sent on its own (Telegram's button)
THANKS = "thanks"  # thanks or goodbye: a short reply
HANDOFF, PERSON = "handoff", "person"  # passed to a person (bot/answering/handoff.py); a person's reply
# Section keys of a procedure card, in their usual order; an aspect moves its section first.
SECTION_ORDER = ("documents", "where", "fee_time", "online", "conditions", "status", "distinguish", "source")
ASPECT_SECTION = {"documents": "documents", "fee": "fee_time", "time": "fee_time", "where": "where",
                  "online": "online", "conditions": "conditions"}


@dataclass
class Link:
    label: str
    url: str


@dataclass
class Button:
    """A choice offered to the citizen: an action sent back to the core, or a link to open."""

    label: str
    action: str = ""
    url: str = ""


@dataclass
class Section:
    key: str
    title: str
    lines: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


@dataclass
class Answer:
    kind: str
    title: str
    intro: str = ""
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    caution: str = ""
    procedure_id: str | None = None
    aspect: str | None = None
    candidates: list[str] = field(default_factory=list)
    # The second layer of a procedure card ("Chi tiết"): steps, who, conditions, results, notes, legal
    # bases, source. Channels show `sections` first and these on demand; full pages show both.
    details: list[Section] = field(default_factory=list)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_dict(self) -> dict:
        """The web channel's JSON: exactly the model, nothing formatted twice."""
        return asdict(self)


def lead_with(sections: list[Section], aspect: str | None) -> list[Section]:
    """Sections in the usual order, with the one the citizen asked about first."""
    ordered = sorted(sections, key=lambda s: SECTION_ORDER.index(s.key) if s.key in SECTION_ORDER else 99)
    key = ASPECT_SECTION.get(aspect or "")
    return sorted(ordered, key=lambda s: s.key != key) if key else ordered
