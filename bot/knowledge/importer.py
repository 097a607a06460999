"""`import-national`: select portal records, write knowledge/national/<code>.json, report what changed.

Selection: every record at commune level ("Cấp xã"); every provincial record ("Cấp tỉnh") whose
filers include citizens (see CITIZENS); and every portal code named in column 4 of the shared
catalog (`<project>/../shared/spec/catalog.tsv`, optional). Only Bắc Ninh's and nationwide records:
another province's own procedures are dropped, and another province's name is taken off a nationwide
record's agencies (`national_region`); the report lists both.
Output is deterministic: one pretty-printed JSON file per procedure, sorted keys. When a record's
facts did not change, its file is left as is (its `checked` date is kept), so re-running on the same
export changes nothing. Only the output directory is touched (never knowledge/local/).
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.paths import DEFAULT_CATALOG, DEFAULT_KNOWLEDGE_DIR
from bot.knowledge.national_parser import parse_record
from bot.knowledge.national_region import other_province, without_other_province

DEFAULT_OUT = DEFAULT_KNOWLEDGE_DIR / "national"
CITIZENS = ("Công dân Việt Nam", "Người Việt Nam định cư ở nước ngoài", "Người nước ngoài")
REPORT = "IMPORT_REPORT.md"
SAFE_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")
PROGRESS_EVERY = 100


@dataclass
class ImportResult:
    source: str
    total: int = 0
    selected: dict[str, dict] = field(default_factory=dict)
    reasons: Counter = field(default_factory=Counter)
    levels: Counter = field(default_factory=Counter)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    dropped: dict[str, str] = field(default_factory=dict)  # code -> why (another province's record)
    localized: list[str] = field(default_factory=list)  # codes whose agencies named another province


def read_records(path: Path) -> list[dict]:
    """All JSON lines of the export (gzipped or plain text)."""
    with open(path, "rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
    opener = gzip.open if gzipped else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def catalog_codes(path: Path | None) -> set[str]:
    """Portal codes in column 4 (space-separated) of the catalog; empty when the file is missing."""
    if path is None or not Path(path).is_file():
        return set()
    codes: set[str] = set()
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines()):
        cols = line.split("\t")
        if i == 0 and cols[-1].strip() == "portal_codes" or len(cols) < 4:
            continue
        codes.update(cols[3].split())
    return codes


def selection_reason(raw: dict, catalog: set[str]) -> str | None:
    """Why a record is imported (the first reason that applies), or None."""
    level, who = raw.get("cap_thuc_hien", ""), raw.get("doi_tuong_thuc_hien", "")
    if "Cấp xã" in level:
        return "Cấp xã"
    if "Cấp tỉnh" in level and any(c in who for c in CITIZENS):
        return "Cấp tỉnh, công dân"
    if raw.get("ma_thu_tuc") in catalog:
        return "catalog"
    return None


def dump(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


class Progress:
    """A line every PROGRESS_EVERY records on stderr ('\\r'-style when stderr is a terminal)."""

    def __init__(self, total: int, stream=None):
        self.total, self.stream = total, stream if stream is not None else sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self, done: int) -> None:
        if done % PROGRESS_EVERY and done != self.total:
            return
        end = "\r" if self.tty and done != self.total else "\n"
        print(f"import-national: {done}/{self.total} records", end=end, file=self.stream, flush=True)


def select_and_parse(records: list[dict], catalog: set[str], checked: str, result: ImportResult,
                     stream=None) -> None:
    progress = Progress(len(records), stream)
    for done, raw in enumerate(records, 1):
        reason = selection_reason(raw, catalog)
        code = str(raw.get("ma_thu_tuc") or "").strip()
        if reason and not SAFE_CODE.match(code):
            result.skipped.append(code or f"(record {done} without code)")
        elif reason and (why := other_province(raw)):
            result.dropped[code] = f"{clean_name(raw)}: {why}"
        elif reason:
            result.selected[code] = record = parse_record(raw, checked)
            if record.get("agencies"):
                record["agencies"], changed = without_other_province(record["agencies"])
                result.localized += [code] if changed else []
            result.reasons[reason] += 1
            result.levels.update(record.get("level", []))
        progress.step(done)


def clean_name(raw: dict) -> str:
    name = " ".join(str(raw.get("ten_thu_tuc") or "").split())
    return name if len(name) <= 90 else name[:89] + "…"


def same_facts(old_text: str, new: dict) -> bool:
    """True when the existing file says the same apart from the `checked` date."""
    try:
        old = json.loads(old_text)
    except ValueError:
        return False
    return isinstance(old, dict) and {**old, "checked": new.get("checked")} == new


def write_files(out: Path, result: ImportResult) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for code in sorted(result.selected):
        path, text = out / f"{code}.json", dump(result.selected[code])
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old is None:
            result.added.append(code)
        elif old == text or same_facts(old, result.selected[code]):
            result.unchanged += 1
            continue
        else:
            result.changed.append(code)
        path.write_text(text, encoding="utf-8")
    for path in sorted(out.glob("*.json")):
        if path.stem not in result.selected:
            path.unlink()
            result.removed.append(path.stem)


def import_national(source: Path, out: Path, checked: str, catalog: Path | None = DEFAULT_CATALOG,
                    stream=None) -> ImportResult:
    """Run the whole import; see the module doc. Returns what was selected and changed."""
    source, out = Path(source), Path(out)
    records = read_records(source)
    result = ImportResult(source=source.name, total=len(records))
    select_and_parse(records, catalog_codes(catalog), checked, result, stream)
    write_files(out, result)
    (out / REPORT).write_text(render_report(result, checked), encoding="utf-8")
    return result


def shorten(codes: list[str], limit: int = 12) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f", … (+{len(codes) - limit} more)" if len(codes) > limit else "")


def summary(result: ImportResult) -> str:
    lines = [f"import-national: {len(result.selected)} of {result.total} records selected from {result.source}"]
    for label, codes in (("added", result.added), ("changed", result.changed), ("removed", result.removed)):
        lines.append(f"  {label}: {len(codes)}" + (f" ({shorten(codes)})" if codes else ""))
    lines.append(f"  unchanged: {result.unchanged}")
    warned = sum(1 for r in result.selected.values() if r.get("parse_warnings"))
    lines.append(f"  records with parse warnings: {warned} (see {REPORT})")
    if result.skipped:
        lines.append(f"  skipped (unusable code): {shorten(result.skipped)}")
    lines.append(f"  dropped (another province's own procedure): {len(result.dropped)}"
                 + (f" ({shorten(sorted(result.dropped))})" if result.dropped else ""))
    if result.localized:
        lines.append(f"  another province's name taken off the agencies: {shorten(result.localized)}")
    return "\n".join(lines)


def render_report(result: ImportResult, checked: str) -> str:
    """The Markdown report; only the `checked` date, no run time, so re-runs are deterministic."""
    lines = ["# National procedures import", "",
             f"- Source: `{result.source}`, {result.total} records", f"- Checked (import date): {checked}",
             f"- Selected: {len(result.selected)} procedures", "", "## Selection", "",
             "| reason | records |", "|---|---|"]
    lines += [f"| {reason} | {n} |" for reason, n in sorted(result.reasons.items())]
    lines += ["", "Levels of the selected records (a record may have several):", "",
              "| level | records |", "|---|---|"]
    lines += [f"| {level} | {n} |" for level, n in sorted(result.levels.items())]
    lines += ["", "## Changes in the last run", ""]
    for label, codes in (("Added", result.added), ("Changed", result.changed), ("Removed", result.removed)):
        lines.append(f"- {label}: {len(codes)}" + (f" ({shorten(codes, 30)})" if codes else ""))
    lines.append(f"- Unchanged: {result.unchanged}")
    if result.skipped:
        lines.append(f"- Skipped (unusable code): {', '.join(result.skipped)}")
    lines += region_section(result)
    lines += warnings_section(result)
    return "\n".join(lines) + "\n"


def region_section(result: ImportResult) -> list[str]:
    """What was left out because it is another province's, and why; which agencies were cleaned."""
    lines = ["", "## Only Bắc Ninh's and nationwide records", "",
             f"{len(result.dropped)} records dropped: published by another province's People's Committee "
             "(QĐ-UBND) and not naming Bắc Ninh.", ""]
    if result.dropped:
        lines += ["| code | name and reason |", "|---|---|"]
        lines += [f"| {code} | {why.replace('|', '/')} |" for code, why in sorted(result.dropped.items())]
    if result.localized:
        lines += ["", "Nationwide records whose agencies named one province (the name was taken off): "
                  + ", ".join(result.localized)]
    return lines


def warnings_section(result: ImportResult) -> list[str]:
    warned = [(code, rec) for code, rec in sorted(result.selected.items()) if rec.get("parse_warnings")]
    kinds = Counter(kind_of(w) for _, rec in warned for w in rec["parse_warnings"])
    lines = ["", "## Parse warnings", "",
             f"{len(warned)} records have warnings; their raw text is kept under `unparsed`.", ""]
    lines += [f"- {kind}: {n}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines += ["", "| code | name | warnings |", "|---|---|---|"]
    for code, rec in warned:
        name = rec["name"] if len(rec["name"]) <= 90 else rec["name"][:89] + "…"
        text = "; ".join(rec["parse_warnings"]).replace("|", "\\|")
        lines.append(f"| {code} | {name.replace('|', '/')} | {text} |")
    return lines


def kind_of(warning: str) -> str:
    """'methods: time '1' has no unit' -> 'methods: time … has no unit' (for counting kinds)."""
    return re.sub(r"'[^']*'|\"[^\"]*\"", "…", warning)


def iso_date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", type=Path,
                        help="the portal export, e.g. national-procedures.jsonl.gz")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"where to write the procedure files (default: {DEFAULT_OUT})")
    parser.add_argument("--date", type=iso_date, default=dt.date.today().isoformat(),
                        help="the import date written as `checked` (default: today)")
    parser.add_argument("--catalog", type=Path, default=DEFAULT_CATALOG,
                        help="catalog.tsv whose column 4 names extra portal codes to import (optional)")


def command(args) -> int:
    """Run `import-national`; 0 on success, 2 when the export cannot be read."""
    try:
        result = import_national(args.path, args.out, args.date, getattr(args, "catalog", DEFAULT_CATALOG))
    except (OSError, ValueError, EOFError) as exc:
        print(f"import-national: cannot read {args.path}: {exc}", file=sys.stderr)
        return 2
    print(summary(result))
    return 0
