"""Checks across files: references that must exist, aliases that must not collide, catalog coverage."""
from __future__ import annotations

import string
from pathlib import Path

from bot.knowledge.text import fold
from bot.knowledge.problems import LineFinder, Problem
from bot.knowledge.staff_text import st


def _line(file: str, root: Path, path: tuple, needle: str | None = None) -> int:
    try:
        text = Path(file).read_text(encoding="utf-8") if Path(file).exists() else (root / file).read_text(encoding="utf-8")
    except OSError:
        return 1
    if needle:
        for i, line in enumerate(text.splitlines(), 1):
            if needle in line:
                return i
    return LineFinder(text, is_json=file.endswith(".json")).line_of(path)


def office_refs(knowledge) -> list[Problem]:
    """Every office a procedure or a unit names must exist in offices.toml."""
    problems = []
    if "offices.toml" in knowledge.refused_files:
        return problems  # its own problem is reported; every reference to it would repeat it
    for proc in knowledge.procedures.values():
        for office in proc.data.get("where", {}).get("offices", []) if proc.curated else []:
            if office not in knowledge.offices:
                problems.append(Problem(proc.file, _line(proc.file, knowledge.root, ("where", "offices"), f'"{office}"'),
                                        "where.offices", st('office "{office}" is not in offices.toml; add it there or fix the id',
                                                           office=office)))
    province_file = (knowledge.root / "local" / "province.toml").as_posix()
    for unit in knowledge.province.get("units", []):
        if unit.get("office") and unit["office"] not in knowledge.offices:
            problems.append(Problem(province_file, _line(province_file, knowledge.root, (), f'"{unit["office"]}"'),
                                    "units.office", st('office "{office}" is not in offices.toml; add it there or fix the id',
                                                       office=unit["office"])))
    return problems


def distinguish_refs(knowledge) -> list[Problem]:
    """Every neighbour a curated file points to must be a known procedure id or portal code."""
    problems = []
    for proc in (p for p in knowledge.procedures.values() if p.curated):
        for item in proc.data.get("distinguish", []):
            if knowledge.find(item["id"]) is None and item["id"] not in knowledge.refused:
                problems.append(Problem(proc.file, _line(proc.file, knowledge.root, (), f'"{item["id"]}"'), "distinguish.id",
                                        st('"{id}" is neither a catalog id nor a portal code; fix the id',
                                           id=item["id"])))
    return problems


def alias_collisions(knowledge) -> list[Problem]:
    """The same alias (ignoring accents and case) must not point to two procedures; the same for English aliases."""
    owner: dict[str, str] = {}
    problems = []
    for proc in (p for p in knowledge.procedures.values() if p.curated):
        for field, alias in ((f, a) for f in ("aliases", "aliases_en") for a in proc.data.get(f, [])):
            key = f"{field}:" + " ".join(fold(alias).split())
            other = owner.setdefault(key, proc.id)
            if other != proc.id:
                problems.append(Problem(proc.file, _line(proc.file, knowledge.root, (field,), f'"{alias}"'), field,
                                        st('"{alias}" is also an alias of {other}; keep it in one file only',
                                           alias=alias, other=other)))
    return problems


def lookup_templates(knowledge) -> list[Problem]:
    """Status lookup links may only use the {code} placeholder."""
    problems, file = [], (knowledge.root / "local" / "province.toml").as_posix()
    for item in knowledge.province.get("status_lookup", []):
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(item["url"]) if f is not None}
        except ValueError:  # a lone { or }
            names = {"{"}
        if names - {"code"}:
            problems.append(Problem(file, _line(file, knowledge.root, (), item["url"]), "status_lookup.url",
                                    st("unknown placeholder {names}; only {{code}} is filled in",
                                       names=", ".join(sorted(names - {"code"})))))
    return problems


def cross_checks(knowledge) -> list[Problem]:
    """All checks that need more than one file."""
    return office_refs(knowledge) + distinguish_refs(knowledge) + alias_collisions(knowledge) + lookup_templates(knowledge)


def catalog_gaps(knowledge, catalog: Path) -> list[Problem]:
    """Catalog ids with no curated file, and curated files missing a catalog portal code."""
    problems = []
    for n, row in enumerate(catalog.read_text(encoding="utf-8").splitlines()[1:], 2):
        cols = row.split("\t")
        if not cols[0]:
            continue
        proc = knowledge.procedures.get(cols[0])
        target = f"knowledge/local/{cols[0]}.toml"
        if cols[0] in knowledge.refused:
            continue  # the file exists; its own problems are reported
        if proc is None or not proc.curated:
            problems.append(Problem(target, 1, "(file)", st("catalog id {id} ({name}) is not covered yet; "
                                                            "write {target} (catalog line {n})",
                                                            id=cols[0], name=cols[1], target=target, n=n)))
            continue
        for code in (cols[3].split() if len(cols) > 3 else []):
            if code not in proc.codes:
                problems.append(Problem(proc.file, _line(proc.file, knowledge.root, ("portal_codes",)), "portal_codes",
                                        st("the catalog lists {code} for {id}; add it to portal_codes",
                                           code=code, id=cols[0])))
    return problems
