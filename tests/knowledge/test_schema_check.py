"""One file against the schema: kinds, choices, required keys, nested tables, unknown keys."""
import datetime as dt

from bot.knowledge.schema import DOCUMENT, METHOD, PROCEDURE
from bot.knowledge.schema_check import check_table, check_value, is_url


def test_kinds():
    fee = next(k for k in METHOD if k.name == "fee")
    assert check_value(5000, fee, ("fee",)) == []
    assert check_value(True, fee, ("fee",)) and check_value(-1, fee, ("fee",)) and check_value("năm nghìn", fee, ("fee",))
    assert check_value("5.000", fee, ("fee",)) == []  # understood (bot/knowledge/values.py), normalised by check_table
    checked = next(k for k in PROCEDURE if k.name == "checked")
    assert check_value(dt.date(2026, 1, 1), checked, ()) == [] and check_value("2026-01-01", checked, ()) == []
    assert check_value("hôm qua", checked, ())


def test_required_unknown_and_nested():
    findings = check_table({"name": "x", "documents": [{"count": "1"}], "extra": 1}, PROCEDURE, required=("summary",))
    paths = [p for p, _ in findings]
    assert ("documents", 0, "name") in paths and ("extra",) in paths and ("summary",) in paths
    assert ("legal_basis",) in paths and ("checked",) in paths


def test_choices():
    section = next(k for k in DOCUMENT if k.name == "section")
    (finding,) = check_value("phai nop", section, ("section",))
    assert "use one of: nop, xuat_trinh, luu_y" in finding[1]


def test_urls():
    assert is_url("https://dichvucong.gov.vn/p/1")
    assert not is_url("dichvucong.gov.vn") and not is_url("https://x y.vn") and not is_url("javascript:alert(1)")
