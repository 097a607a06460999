"""`check-knowledge --drift` and `--review`: reports for staff, never a failed build.

Drift compares each curated file with the national record(s) it names: legal documents the record
cites that the file lacks, superseded documents the file still cites, and fee, time and paper-count
differences that no `review` item about that fact explains. `--review` lists every review item with
its file, line and the fact it is about: staff's own wording stays with staff.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from bot.knowledge.problems import LineFinder, Problem
from bot.knowledge.review import pending, review_items
from bot.knowledge.staff_text import st

# Documents replaced outright (not just amended), and what replaced them. Each entry from the replacing
# document's own final article: 154/2024/NĐ-CP art. 40 (62/2021/NĐ-CP), 102/2024/NĐ-CP art. 111
# (43/2014/NĐ-CP), 168/2025/NĐ-CP (01/2021/NĐ-CP), Luật Đất đai 31/2024/QH15 art. 259 (45/2013/QH13).
SUPERSEDED = {"62/2021/NĐ-CP": "154/2024/NĐ-CP", "43/2014/NĐ-CP": "102/2024/NĐ-CP",
              "01/2021/NĐ-CP": "168/2025/NĐ-CP", "45/2013/QH13": "31/2024/QH15"}
CUT_SHORT = re.compile(r"-[A-ZĐ]$")


def norm(code: str) -> str:
    return "".join(code.upper().split())


def national_records(knowledge, proc) -> list[dict]:
    """The raw national records a curated file names (as generated, before the curated keys are laid over)."""
    out = []
    for code in proc.codes:
        path = Path(knowledge.root) / "national" / f"{code}.json"
        if path.exists():
            out.append(json.loads(path.read_text(encoding="utf-8")))
    return out


def legal_drift(data: dict, records: list[dict]) -> list[tuple[tuple, str]]:
    cited = {norm(law.get("code", "")) for law in data.get("legal_basis", []) if law.get("code")}
    found, seen = [], set()
    for record in records:
        for law in record.get("legal_basis", []):
            code = law.get("code", "")
            if code and not CUT_SHORT.search(code) and norm(code) not in cited and norm(code) not in seen:
                seen.add(norm(code))
                found.append((("legal_basis",), st(
                    "the national record {record} cites {code} ({title}); add it as [[legal_basis]] if it applies, "
                    "or say in review why not", record=record["code"], code=code, title=law["title"][:80])))
    for code in sorted(cited):
        if code in {norm(k) for k in SUPERSEDED}:
            new = next(v for k, v in SUPERSEDED.items() if norm(k) == code)
            found.append((("legal_basis",), st("{old} has been replaced by {new}; cite {new} instead", old=code, new=new)))
    return found


def by_kind(methods: list[dict]) -> dict[str, dict]:
    return {m["kind"]: m for m in methods}


def fact_drift(data: dict, records: list[dict]) -> list[tuple[tuple, str]]:
    """Fee, time and paper-count differences that no review item about that fact explains."""
    found, explained, ours = [], pending(data), by_kind(data.get("methods", []))
    record = records[0]
    for kind, theirs in by_kind(record.get("methods", [])).items():
        mine = ours.get(kind)
        if not mine:
            continue
        if "fee" not in explained and "fee" in mine and "fee" in theirs and mine["fee"] != theirs["fee"]:
            found.append((("methods",), st("{kind}: fee {mine} here, {theirs} in the national record {record}; "
                                           "correct it or add a review item about fee", kind=kind, mine=mine["fee"],
                                           theirs=theirs["fee"], record=record["code"])))
        if "time" not in explained and "days" in mine and "days" in theirs and mine["days"] != theirs["days"]:
            found.append((("methods",), st("{kind}: {mine} days here, {theirs} in the national record {record}; "
                                           "correct it or add a review item about time", kind=kind, mine=mine["days"],
                                           theirs=theirs["days"], record=record["code"])))
    mine_n = sum(1 for d in data.get("documents", []) if d.get("section") != "luu_y")
    theirs_n = sum(1 for d in record.get("documents", []) if d.get("section") != "luu_y")
    if "documents" not in explained and theirs_n > mine_n:
        found.append((("documents",), st("{theirs} papers in the national record {record}, {mine} here; check none is "
                                         "missing or add a review item about documents", theirs=theirs_n,
                                         mine=mine_n, record=record["code"])))
    return found


def drift_problems(knowledge) -> list[Problem]:
    """Every drift finding of every curated file, as file:line: key: what; how."""
    problems = []
    for proc in sorted((p for p in knowledge.procedures.values() if p.curated), key=lambda p: p.file):
        records = national_records(knowledge, proc)
        if not records:
            continue
        findings = legal_drift(proc.data, records) + fact_drift(proc.data, records)
        if findings:
            finder = LineFinder(Path(proc.file).read_text(encoding="utf-8"))
            problems += [Problem(proc.file, finder.line_of(path), path[0], msg) for path, msg in findings]
    return problems


def special_review_lines(knowledge) -> list[str]:
    """Review items of offices.toml, province.toml and faq.toml (texts about the office, the province, the answer)."""
    local, lines = Path(knowledge.root) / "local", []
    tables = [("offices.toml", ("office", i), o) for i, o in enumerate(knowledge.offices.values())]
    tables += [("province.toml", (), knowledge.province)] + [("faq.toml", ("faq", i), f) for i, f in enumerate(knowledge.faq)]
    finders: dict[str, LineFinder] = {}
    for name, path, table in tables:
        if not table.get("review") or not (local / name).exists():
            continue
        finder = finders.setdefault(name, LineFinder((local / name).read_text(encoding="utf-8")))
        line, shown = finder.line_of((*path, "review")), Path(os.path.relpath(local / name)).as_posix()
        lines += [f"{shown}:{line}: review[{n}] ({table.get('id') or name}): {text}"
                  for n, text in enumerate(table["review"], 1)]
    return lines


def review_lines(knowledge) -> list[str]:
    """Every review item: of every curated procedure (file:line: review[n] (about): text), then of the other files."""
    lines = special_review_lines(knowledge)
    for proc in sorted((p for p in knowledge.procedures.values() if p.curated), key=lambda p: p.file):
        items = review_items(proc.data)
        if not items:
            continue
        line = LineFinder(Path(proc.file).read_text(encoding="utf-8")).line_of(("review",))
        for n, item in enumerate(items, 1):
            about = item.about or st("the whole procedure")
            lines.append(f"{proc.file}:{line}: review[{n}] ({about}): {item.text}")
    return lines
