"""The knowledge loader: files under knowledge/ → one merged, read-only `Knowledge`.

`load_knowledge(path)` is pure (no Telegram, no web): national records (knowledge/national/*.json)
with the curated files (knowledge/local/<field>/<slug>.toml) laid over them, plus the offices,
province settings, FAQ and lexicon. Any problem raises `KnowledgeError` listing file:line: key.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.problems import KnowledgeError, LineFinder, Problem, key_name, read_file
from bot.knowledge.schema import CURATED_REQUIRED, OPTIONAL_FILES, PROCEDURE, SPECIAL_FILES
from bot.knowledge.schema_check import check_table
from bot.knowledge.staff_text import st


@dataclass
class Procedure:
    """One procedure as citizens see it: curated (catalog id) or national only (portal code)."""

    id: str
    data: dict
    curated: bool
    file: str
    codes: tuple[str, ...] = ()
    other_names: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def field(self) -> str:
        return self.data.get("field", "")

    @property
    def code(self) -> str | None:
        return self.codes[0] if self.codes else None


@dataclass
class Knowledge:
    """The merged view: procedures by id, portal codes → ids, offices, settings, FAQ, lexicon."""

    root: Path
    procedures: dict[str, Procedure]
    codes: dict[str, str]
    offices: dict[str, dict]
    province: dict
    faq: list[dict]
    lexicon: dict
    refused: frozenset[str] = frozenset()  # curated ids whose files exist but have problems
    refused_files: frozenset[str] = frozenset()  # offices.toml, province.toml ... when refused (no follow-on problems)

    def unit_office(self, unit_name: str | None) -> str | None:
        """The id of the service centre of a commune/ward, by its name as in province.toml."""
        return next((u.get("office") for u in self.province.get("units", []) if u["name"] == unit_name), None)

    def faq_entry(self, pid: str) -> dict | None:
        """An FAQ entry by the id the matcher gives it ("faq/ID")."""
        return next((f for f in self.faq if f"faq/{f['id']}" == pid), None)

    def find(self, key: str) -> Procedure | None:
        """A procedure by catalog id or by any portal code it covers."""
        return self.procedures.get(key) or self.procedures.get(self.codes.get(key, ""))


def shown_path(path: Path) -> str:
    """The path as staff should read it in a message: relative to the working folder if inside."""
    rel = os.path.relpath(path)
    return path.as_posix() if rel.startswith("..") else Path(rel).as_posix()


def to_problems(findings, path: Path, text: str) -> list[Problem]:
    if not findings:
        return []
    finder = LineFinder(text, is_json=path.suffix == ".json")
    return [Problem(shown_path(path), finder.line_of(p), key_name(p), msg) for p, msg in findings]


def read_checked(path: Path, keys, required=()) -> tuple[dict | None, list[Problem]]:
    """Parse a file and check it against its schema; a file with problems is returned as None."""
    data, problems, text = read_file(path, shown_path(path))
    if data is None:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(shown_path(path), 1, "(file)", st("should hold a table of keys"))]
    problems = to_problems(check_table(data, keys, required=required), path, text)
    return (None if problems else data), problems


def read_national(root: Path) -> tuple[dict[str, tuple[Path, dict]], list[Problem]]:
    records, problems = {}, []
    for path in sorted((root / "national").glob("*.json")):
        data, found = read_checked(path, PROCEDURE, required=("code",))
        problems += found
        if data is not None:
            records[data["code"]] = (path, data)
    return records, problems


def read_local(root: Path) -> tuple[dict[str, tuple[Path, dict]], dict[str, dict], list[Problem]]:
    """Curated procedures by catalog id, and the special files by name."""
    local, procs, specials, problems = root / "local", {}, {}, []
    for path in sorted(local.glob("*/*.toml")):
        data, found = read_checked(path, PROCEDURE, required=CURATED_REQUIRED)
        if data is not None and not data.get("portal_codes") and not data.get("local_only"):
            found.append(Problem(shown_path(path), 1, "portal_codes",
                                 st("missing; add the portal code(s) or local_only = true if the portal has none")))
            data = None
        problems += found
        if data is not None:
            procs[path.relative_to(local).with_suffix("").as_posix()] = (path, data)
    for name, keys in SPECIAL_FILES.items():
        path = local / name
        if not path.exists():
            if name in OPTIONAL_FILES:
                continue
            problems.append(Problem(shown_path(path), 1, "(file)", st("missing; create it (see knowledge/README.md)")))
            continue
        data, found = read_checked(path, keys)
        problems += found
        specials[name] = data or {}
        if data is None:
            specials.setdefault("refused", set()).add(name)
    return procs, specials, problems


def merge(national: dict, local: dict) -> tuple[dict[str, Procedure], dict[str, str], list[Problem]]:
    """Curated files over the national records they name; the rest of the national layer as is."""
    procedures, codes, problems = {}, {}, []
    for pid, (path, data) in local.items():
        portal = data.get("portal_codes", [])
        missing = [c for c in portal if c not in national]
        if missing and not data.get("local_only"):
            finder = LineFinder(path.read_text(encoding="utf-8"))
            problems.append(Problem(shown_path(path), finder.line_of(("portal_codes",)), "portal_codes",
                                    st("{codes} not in knowledge/national; fix the code, re-import, "
                                       "or set local_only = true", codes=", ".join(missing))))
        base = national[portal[0]][1] if portal and portal[0] in national else {}
        others = tuple(national[c][1]["name"] for c in portal if c in national)
        procedures[pid] = Procedure(pid, {**base, **data}, True, shown_path(path), tuple(portal), others)
        codes.update({c: pid for c in portal})
    for code, (path, data) in national.items():
        if code not in codes:
            procedures[code] = Procedure(code, data, False, shown_path(path), (code,))
            codes[code] = code
    return procedures, codes, problems


def with_english(lexicon: dict, english: dict) -> dict:
    """The lexicon with english.toml laid in: its vocabulary as synonyms, its phrase lists added to the lexicon's."""
    if not english:
        return lexicon
    merged = {**lexicon, "synonyms": {**lexicon.get("synonyms", {}), **english.get("vocabulary", {})},
              "stopwords": list(lexicon.get("stopwords", [])), "english_stopwords": list(english.get("stopwords", []))}
    for part in ("intents", "aspects"):
        lists = {k: list(v) for k, v in lexicon.get(part, {}).items()}
        for k, phrases in english.get(part, {}).items():
            lists[k] = lists.get(k, []) + list(phrases)
        merged[part] = lists
    return merged


def read_knowledge(root: Path | str) -> tuple[Knowledge, list[Problem]]:
    """Everything that could be read, and every problem found (files with problems left out)."""
    root = Path(root)
    national, problems = read_national(root)
    local, specials, found = read_local(root)
    procedures, codes, merged_problems = merge(national, local)
    offices = {o["id"]: o for o in specials.get("offices.toml", {}).get("office", [])}
    on_disk = {p.relative_to(root / "local").with_suffix("").as_posix() for p in (root / "local").glob("*/*.toml")}
    knowledge = Knowledge(root, procedures, codes, offices, specials.get("province.toml", {}),
                          specials.get("faq.toml", {}).get("faq", []),
                          with_english(specials.get("lexicon.toml", {}), specials.get("english.toml", {})),
                          frozenset(on_disk - set(local)), frozenset(specials.get("refused", ())))
    from bot.knowledge.checks import cross_checks  # the cross-file checks need the merged view

    return knowledge, problems + found + merged_problems + cross_checks(knowledge)


def load_knowledge(root: Path | str) -> Knowledge:
    """The merged knowledge under `root`; raises KnowledgeError naming file:line: key if anything is wrong."""
    knowledge, problems = read_knowledge(root)
    if problems:
        raise KnowledgeError(problems)
    return knowledge
