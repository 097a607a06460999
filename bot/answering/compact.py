"""Keeping a card's short part short without losing a word of the file.

Three general rules, each moving text rather than cutting it:
- the summary shows its first sentence (more only while they fit `INTRO_LIMIT`); the rest opens "Chi tiết";
- the papers needed only in some case (`when`) come after the others, under "depending on your case"; a case
  longer than `WHEN_INLINE` goes to "Chi tiết", the paper with its count stays;
- ways of filing that say the same are said once: one line per group of methods when every time and every
  fee is then said once, else the distinct fees and then the distinct times each on their own line (a long
  ending they all share, once after them).
"""
from __future__ import annotations

import re

INTRO_LIMIT = 200  # characters of summary the short part shows: whole sentences, at least the first
WHEN_INLINE = 40  # a paper's condition this long or shorter stays beside the paper
TAIL_MIN = 40  # an ending this long that every time (or fee) shares is said once
SENTENCE_END = re.compile(r"[.!?…]\s+")


def split_summary(text: str, limit: int = INTRO_LIMIT) -> tuple[str, str]:
    """(the sentences the short part shows, the rest): cut only between sentences, never inside one. A sentence
    starts with a capital (or a quote, a bracket) after . ! ? …: "khai tử... từ dữ liệu" goes on."""
    text = text.strip()
    cuts = [m.end() for m in SENTENCE_END.finditer(text)
            if text[m.end():m.end() + 1].isupper() or text[m.end():m.end() + 1] in ("\"", "“", "(")]
    if not cuts or len(text) <= limit:
        return text, ""
    cut = max((c for c in cuts if c <= limit + 1), default=cuts[0])  # +1: the space after the last sentence
    return text[:cut].rstrip(), text[cut:].strip()


def long_case(doc: dict) -> bool:
    """A paper needed only in a case described at length: the case goes to the details."""
    return len(doc.get("when") or "") > WHEN_INLINE


def paper_groups(papers: list[dict]) -> tuple[list[dict], list[dict]]:
    """(the papers everyone brings, the papers needed only in some case), each in the file's order."""
    return [d for d in papers if not d.get("when")], [d for d in papers if d.get("when")]


def case_lines(data: dict, t) -> list[str]:
    """Each paper whose case the short part leaves out, after its case."""
    return [t("• {case}: {paper}", case=doc["when"], paper=doc["name"])
            for doc in data.get("documents", []) if doc.get("section") != "luu_y" and long_case(doc)]


def grouped(methods: list[dict], value) -> list[tuple[str, list[str]]]:
    """[(value, kinds of filing that have it)], in the order the methods come."""
    groups: dict = {}
    for m in methods:
        groups.setdefault(value(m), []).append(m["kind"])
    return list(groups.items())


def joined_labels(kinds: list[str], label, t) -> str:
    """"Trực tiếp, trực tuyến": the first label as it is, the others in lower case."""
    names = [label(k, t) for k in dict.fromkeys(kinds)]  # a national record may list one way twice
    return ", ".join([names[0], *(n[:1].lower() + n[1:] for n in names[1:])])


def shared_tail(values: list[str]) -> str:
    """The long ending every value shares, from a " (" or ", " on ("" when none): said once after them."""
    if len(values) < 2:
        return ""
    first = values[0]
    for i in range(1, len(first) - TAIL_MIN + 1):
        tail = first[i:]
        if tail.startswith((" (", ", ")) and all(v.endswith(tail) and len(v) > len(tail) for v in values):
            return tail
    return ""


def split_lines(groups: list[tuple[str, list[str]]], everyone: int, label, t, kind: str) -> list[str]:
    """One line per distinct time (or fee), naming the ways of filing unless it is every way; a long shared
    ending once, after them."""
    tail = shared_tail([value for value, _ in groups])
    lines = []
    for value, kinds in groups:
        value = value[:len(value) - len(tail)]
        if len(kinds) == everyone:
            lines.append(t("Time: {time}", time=value) if kind == "time" else t("Fee: {fee}", fee=value))
        else:
            names = joined_labels(kinds, label, t).lower()
            lines.append(t("Time ({methods}): {time}", methods=names, time=value) if kind == "time" else
                         t("Fee ({methods}): {fee}", methods=names, fee=value))
    if tail:
        lines.append(t("The times above{tail}", tail=tail) if kind == "time" else t("The fees above{tail}", tail=tail))
    return lines


def method_lines(methods: list[dict], time, fee, label, t) -> list[str]:
    """Time and fee of each way of filing, each distinct value said once (see the module's docstring)."""
    pairs, times, fees = grouped(methods, lambda m: (time(m), fee(m))), grouped(methods, time), grouped(methods, fee)
    if len(pairs) == len(times) == len(fees):  # every time and every fee said once this way
        return [t("{method}: {time} · fee: {fee}", method=joined_labels(kinds, label, t), time=tm, fee=fe)
                for (tm, fe), kinds in pairs]
    return split_lines(fees, len(methods), label, t, "fee") + split_lines(times, len(methods), label, t, "time")
