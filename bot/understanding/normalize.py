"""Vietnamese chat text → canonical forms the matcher compares.

Pure functions. `canonical` keeps the tones (one placement style, NFC, lower case); `fold` drops
every diacritic (đ → d). `Normalizer` adds what staff keep in `lexicon.toml`: chat
abbreviations, everyday synonyms, and the telex leftovers of a keyboard in the wrong mode.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot.knowledge.text import fold

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
VOWELS = set("aăâeêioôơuưy")
MARKED_VOWELS = set("ăâêôơư")
WORD_RE = re.compile(r"\w+", re.UNICODE)
TELEX_TONES = set("sfrxj")
WILDCARD = 2  # "*" in a synonym stands for up to this many words
SEPARATOR = "|"  # between the question as typed and its synonym-substituted copy; never a term


def _tone_index(letters: str) -> int:
    """Index of the vowel that carries the tone, in the traditional style (hòa, thủy, khỏe)."""
    start = 0
    if letters[:2] in ("qu", "gi") and len(letters) > 2 and letters[2] in VOWELS:
        start = 2
    idx = [i for i in range(start, len(letters)) if letters[i] in VOWELS]
    if not idx:
        idx = [i for i, c in enumerate(letters) if c in VOWELS]
        if not idx:
            return -1
    marked = [i for i in idx if letters[i] in MARKED_VOWELS]
    if marked:
        return marked[-1]
    first, last = idx[0], idx[-1]
    ends_with_consonant = last < len(letters) - 1
    if len(idx) == 1 or ends_with_consonant:
        return last
    return idx[1] if len(idx) >= 3 else first


@lru_cache(maxsize=50000)
def _place_tone(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in TONE_MARKS]
    if len(tones) != 1:
        return unicodedata.normalize("NFC", decomposed)
    letters = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    pos = _tone_index(letters)
    if pos < 0:
        return unicodedata.normalize("NFC", decomposed)
    return unicodedata.normalize("NFC", letters[: pos + 1] + tones[0] + letters[pos + 1 :])


def canonical(text: str) -> str:
    """NFC, lower case, one tone placement per syllable, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).lower().replace("\u0111", "đ")
    return " ".join(WORD_RE.sub(lambda m: _place_tone(m.group(0)), text).split())


def tokens(folded: str) -> list[str]:
    """Words of a folded text: letters and digits, '/' kept inside chat shorthands like a/c."""
    return re.findall(r"[a-z0-9]+(?:/[a-z0-9]+)?", folded)


def untelex(token: str) -> str:
    """Undo telex typed in the wrong keyboard mode: 'ddaats' → 'dat', 'sinhf' → 'sinh'."""
    t = token.replace("dd", "d")
    t = re.sub(r"([aeo])\1", r"\1", t)
    t = re.sub(r"([aou])w", r"\1", t)
    if len(t) > 2 and t[-1] in TELEX_TONES and any(c in "aeiouy" for c in t[:-1]):
        t = t[:-1]
    return t


@dataclass(frozen=True)
class Normalized:
    """A question in the forms the matcher needs; `accents[i]` is tokens[i] as typed (with its
    diacritics), or None when the word came from an expansion or was typed without any."""

    original: str
    canonical: str
    folded: str
    tokens: tuple[str, ...]
    accents: tuple[str | None, ...] = ()


def accented_words(canon: str) -> list[tuple[str, str | None]]:
    """(folded, accented-or-None) for each word of a canonical text."""
    out = []
    for word in re.findall(r"[^\W_]+(?:/[^\W_]+)?", canon):
        folded = fold(word)
        if re.fullmatch(r"[a-z0-9]+(?:/[a-z0-9]+)?", folded):
            out.append((folded, word if word != folded else None))
    return out


def matched_at(parts: list[str], words: list[str], i: int) -> int | None:
    """Where a phrase found at words[i] ends, or None; "*" in a phrase stands for up to WILDCARD words
    ("xóa * thế chấp": "xóa dòng thế chấp", "xóa chữ thế chấp trên sổ")."""
    if not parts:
        return i
    if parts[0] == "*":
        return next((end for skip in range(WILDCARD + 1) if i + skip <= len(words)
                     and (end := matched_at(parts[1:], words, i + skip)) is not None), None)
    return matched_at(parts[1:], words, i + 1) if i < len(words) and words[i] == parts[0] else None


class Normalizer:
    """Normalisation with the staff-edited lexicon (abbreviations, synonyms) passed in."""

    def __init__(self, abbreviations: dict[str, str], synonyms: dict[str, str]):
        self.abbreviations = {fold(k): fold(v) for k, v in abbreviations.items()}
        # a shorthand typed with accents must be typed with its own: "hông" is "không", "hồng" (sổ hồng) is not
        self.spellings: dict[str, set[str]] = {}
        for k in abbreviations:
            self.spellings.setdefault(fold(k), set()).add(canonical(k))
        # first word → (phrase's words, target's words as (folded, None) pairs), longest phrase first
        self.synonyms: dict[str, list[tuple[list[str], list[tuple[str, None]]]]] = {}
        for phrase, target in sorted(((fold(k), fold(v)) for k, v in synonyms.items()), key=lambda kv: -len(kv[0])):
            replaced = [(x, None) for x in target.split()]
            self.synonyms.setdefault(phrase.split()[0], []).append((phrase.split(), replaced))

    def expand(self, words: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        """Replace chat shorthands word by word; when a synonym occurs, append (after a SEPARATOR)
        the question again with the everyday phrase replaced by the words the procedures use."""
        out: list[tuple[str, str | None]] = []
        for w, accented in words:
            full = self.abbreviations.get(w) if accented is None or accented in self.spellings.get(w, ()) else None
            out.extend([(x, None) for x in full.split()] if full else [(w, accented)])
        swapped = self.substitute(out)
        return out + [(SEPARATOR, None)] + swapped if swapped != out else out

    def substitute(self, words: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        """The words with each synonym phrase (longest first, left to right) replaced by its target."""
        out, i, folded = [], 0, [w for w, _ in words]
        while i < len(words):
            for parts, replaced in self.synonyms.get(words[i][0], ()):
                if (end := matched_at(parts, folded, i)) is not None:
                    out.extend(replaced)
                    i = end
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def __call__(self, text: str) -> Normalized:
        canon = canonical(text)
        words = self.expand(accented_words(canon))
        return Normalized(text, canon, fold(canon), tuple(w for w, _ in words), tuple(a for _, a in words))
