"""Importer tests: selection, files, determinism, changes, removals, report, CLI (no network)."""
from __future__ import annotations

import argparse
import gzip
import io
import json
from pathlib import Path

import pytest

from bot.knowledge.importer import Progress, add_arguments, command, import_national, selection_reason

FIXTURE = Path(__file__).parent / "fixtures" / "national-sample.jsonl"
DATE = "2026-05-01"
BY_LEVEL = {"1.004194", "1.001193", "1.001266", "1.000656", "1.007751", "1.007689"}  # Cấp xã
BY_CITIZENS = {"1.013831", "1.014958"}  # Cấp tỉnh, citizens among the filers
CATALOG_ONLY = "3.000347"  # Cấp bộ: only imported because the catalog names it
NOT_SELECTED = {"2.000018", "2.001838"}  # Cấp bộ; Cấp tỉnh for organisations only


def write_export(path: Path, lines: list[str]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))
    return path


@pytest.fixture
def tree(tmp_path):
    """A knowledge/ tree with a curated local file, an export (gzipped fixture) and a catalog."""
    lines = [line for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    local = tmp_path / "knowledge" / "local" / "ho-tich"
    local.mkdir(parents=True)
    (local / "khai-sinh.toml").write_text('name = "Đăng ký khai sinh"\n', encoding="utf-8")
    catalog = tmp_path / "catalog.tsv"
    catalog.write_text("id\tname\tfield\tportal_codes\nho-tich/khai-sinh\tĐăng ký khai sinh\tHộ tịch\t1.001193\n"
                       f"giay-phep-lai-xe/doi\tĐổi giấy phép lái xe\tĐường bộ\t{CATALOG_ONLY} 9.999999\n",
                       encoding="utf-8")
    return {"lines": lines, "export": write_export(tmp_path / "national-sample.jsonl.gz", lines),
            "out": tmp_path / "knowledge" / "national", "local": tmp_path / "knowledge" / "local",
            "catalog": catalog, "tmp": tmp_path}


def run(tree, export=None, date=DATE, catalog="default"):
    catalog = tree["catalog"] if catalog == "default" else catalog
    return import_national(export or tree["export"], tree["out"], date, catalog=catalog, stream=io.StringIO())


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_selection_rules(tree):
    records = {json.loads(line)["ma_thu_tuc"]: json.loads(line) for line in tree["lines"]}
    catalog = {CATALOG_ONLY}
    assert {c for c, r in records.items() if selection_reason(r, catalog) == "Cấp xã"} == BY_LEVEL
    assert {c for c, r in records.items() if selection_reason(r, catalog) == "Cấp tỉnh, công dân"} == BY_CITIZENS
    assert selection_reason(records[CATALOG_ONLY], catalog) == "catalog"
    assert selection_reason(records[CATALOG_ONLY], set()) is None
    assert all(selection_reason(records[c], catalog) is None for c in NOT_SELECTED)


def test_import_writes_one_pretty_json_per_procedure(tree):
    result = run(tree)
    expected = BY_LEVEL | BY_CITIZENS | {CATALOG_ONLY}
    assert sorted(result.added) == sorted(expected)
    assert {p.stem for p in tree["out"].glob("*.json")} == expected
    text = (tree["out"] / "1.004194.json").read_text(encoding="utf-8")
    assert text.startswith('{\n "agencies": {\n  "address": "Công an cấp xã",')
    assert text.endswith("}\n") and '"name": "Đăng ký tạm trú"' in text
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["checked"] == DATE and [m["fee"] for m in data["methods"]] == [7000, 10000]
    assert result.reasons == {"Cấp xã": 6, "Cấp tỉnh, công dân": 2, "catalog": 1}
    assert (result.levels["Cấp tỉnh"], result.levels["Cấp xã"], result.levels["Cấp bộ"]) == (3, 6, 2)


def test_second_run_changes_nothing(tree):
    run(tree)
    before = snapshot(tree["out"])
    again = run(tree)
    assert (again.added, again.changed, again.removed, again.unchanged) == ([], [], [], 9)
    assert snapshot(tree["out"]) == {**before, "IMPORT_REPORT.md": snapshot(tree["out"])["IMPORT_REPORT.md"]}
    later = run(tree, date="2026-06-01")  # same facts on a later day: files stay as they are
    assert (later.added, later.changed, later.removed) == ([], [], [])
    assert json.loads((tree["out"] / "1.004194.json").read_text(encoding="utf-8"))["checked"] == DATE


def test_changed_and_removed_records_and_local_untouched(tree):
    run(tree)
    local_before = snapshot(tree["local"])
    newer = [line.replace("7,000 Việt Nam Đồng", "8,000 Việt Nam Đồng").replace("thu 7.000 đồng", "thu 8.000 đồng")
             for line in tree["lines"] if '"ma_thu_tuc": "1.007751"' not in line]
    export = write_export(tree["tmp"] / "newer.jsonl.gz", newer)
    result = run(tree, export=export, date="2026-06-01")
    assert (result.added, result.changed, result.removed) == ([], ["1.004194"], ["1.007751"])
    assert not (tree["out"] / "1.007751.json").exists()
    data = json.loads((tree["out"] / "1.004194.json").read_text(encoding="utf-8"))
    assert data["methods"][0]["fee"] == 8000 and data["checked"] == "2026-06-01"
    assert snapshot(tree["local"]) == local_before
    report = (tree["out"] / "IMPORT_REPORT.md").read_text(encoding="utf-8")
    assert "- Changed: 1 (1.004194)" in report and "- Removed: 1 (1.007751)" in report


def test_missing_catalog_is_fine(tree):
    result = run(tree, catalog=tree["tmp"] / "nowhere" / "catalog.tsv")
    assert CATALOG_ONLY not in result.selected and len(result.selected) == 8


def test_report(tree):
    run(tree)
    report = (tree["out"] / "IMPORT_REPORT.md").read_text(encoding="utf-8")
    assert "- Source: `national-sample.jsonl.gz`, 11 records" in report
    assert f"- Checked (import date): {DATE}" in report
    assert "| Cấp xã | 6 |" in report and "| catalog | 1 |" in report
    assert "- Added: 9 (" in report
    assert "| 1.001193 | Thủ tục đăng ký khai sinh | methods: time '1' has no unit |" in report
    assert "| 1.013831 |" in report and "118/2025/NĐ-C" in report
    assert "1.004194 |" not in report.split("## Parse warnings")[1]  # parsed cleanly


def test_command_line(tree, capsys):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args([str(tree["export"]), "--out", str(tree["out"]), "--date", DATE,
                              "--catalog", str(tree["catalog"])])
    assert command(args) == 0
    out, err = capsys.readouterr()
    assert "9 of 11 records selected from national-sample.jsonl.gz" in out
    assert "added: 9 (1.000656, 1.001193," in out and "removed: 0" in out
    assert "import-national: 11/11 records" in err
    assert parser.parse_args(["x.gz"]).out == Path(__file__).resolve().parents[2] / "knowledge" / "national"
    with pytest.raises(SystemExit):
        parser.parse_args(["x.gz", "--date", "27/11/2026"])
    bad = parser.parse_args([str(tree["tmp"] / "missing.jsonl.gz"), "--out", str(tree["out"])])
    assert command(bad) == 2


def test_progress_lines():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    plain, tty = io.StringIO(), Tty()
    for stream in (plain, tty):
        progress = Progress(250, stream)
        for done in range(1, 251):
            progress.step(done)
    assert plain.getvalue().splitlines() == ["import-national: 100/250 records", "import-national: 200/250 records",
                                             "import-national: 250/250 records"]
    assert tty.getvalue().count("\r") == 2 and tty.getvalue().endswith("250/250 records\n")
