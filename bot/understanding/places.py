"""Communes/wards named in a question: "nhà tôi ở phường Kinh Bắc", "o xa tay yen tu", "p Đồng Nguyên".

Built from province.toml's units (their names and the former units merged into them). A name is
found with or without diacritics, with its kind ("xã", "phường", "thị trấn", "p.", "x.") or, when
the bare name is not a word pair the procedures use, without it. The words of a place name carry
no procedure meaning, so the understander drops them before matching.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.understanding.normalize import fold

KINDS = ("thi tran", "phuong", "xa", "tt", "p", "x")
KIND_RE = re.compile(r"^(?:thi tran|phuong|xa)\s+")


@dataclass(frozen=True)
class Place:
    unit: dict  # the unit of province.toml the name belongs to (today's unit, also for a former name)
    start: int  # token span of the name (kind word included) in the folded tokens
    end: int


class Places:
    """Finds the commune/ward a question names; the longest name wins, today's name before a former one."""

    def __init__(self, units: list[dict], procedure_pairs: set[str] = frozenset(), province: str = ""):
        self.names: dict[tuple[str, ...], tuple[dict, bool]] = {}  # bare name words → (unit, kind required)
        for unit in units:
            for former, name in ((False, unit["name"]), *((True, f) for f in unit.get("formerly", []))):
                bare = tuple(KIND_RE.sub("", fold(name)).split())
                if bare and bare not in self.names:  # a former name is often another place's too: kind required
                    needs_kind = former or len(bare) < 2 or "_".join(bare[:2]) in procedure_pairs
                    self.names[bare] = (unit, needs_kind)
        self.province = tuple(fold(province).split())
        self.longest = max((len(k) for k in self.names), default=0)
        self.first_words = frozenset(k[0] for k in self.names)  # a name can only start at one of these

    def find(self, words: tuple[str, ...] | list[str]) -> Place | None:
        """The first commune/ward named in the folded words, if any."""
        words = tuple(words)
        for i in range(len(words)):
            if words[i] not in self.first_words:
                continue
            kind = self._kind_before(words, i)
            for n in range(min(self.longest, len(words) - i), 0, -1):
                hit = self.names.get(words[i:i + n])
                if hit and (kind or not hit[1]):
                    return Place(hit[0], i - kind, i + n)
        return None

    @staticmethod
    def _kind_before(words: tuple[str, ...], i: int) -> int:
        """How many words before position i spell a unit kind ("xã", "phường", "thị trấn", "p")."""
        if i >= 2 and f"{words[i - 2]} {words[i - 1]}" == "thi tran":
            return 2
        return 1 if i >= 1 and words[i - 1] in KINDS else 0

    def drop(self, words: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        """The (folded, accented) words without the place names (every one) and the province's name."""
        out, folded = list(words), [w for w, _ in words]
        while (place := self.find(folded)) is not None:
            del out[place.start:place.end], folded[place.start:place.end]
        n = len(self.province)
        for i in range(len(folded) - n, -1, -1):
            if n and tuple(folded[i:i + n]) == self.province:
                del out[i:i + n], folded[i:i + n]
        return out
