"""The audit's records (tests/knowledge/fixtures/national-audit.jsonl, copied from the portal export):
only Bắc Ninh's and nationwide records are imported, one legal basis per document, real papers stay papers."""
import io
import json
from pathlib import Path

import pytest

from bot.knowledge.importer import import_national
from bot.knowledge.national_parser import parse_record
from bot.knowledge.national_region import other_province

FIXTURE = Path(__file__).parent / "fixtures" / "national-audit.jsonl"
RAW = {(r := json.loads(line))["ma_thu_tuc"]: r for line in FIXTURE.read_text(encoding="utf-8").splitlines()}


def parsed(code: str) -> dict:
    return parse_record(RAW[code], "2026-11-30")


@pytest.mark.parametrize("code, province", [("3.000244", "Hà Tĩnh"), ("1.014208", "Sơn La")])
def test_another_provinces_own_records_are_dropped(code, province):
    assert province in other_province(RAW[code])


@pytest.mark.parametrize("code", ["1.004194", "1.012791", "3.000215"])
def test_nationwide_records_are_kept(code):
    assert other_province(RAW[code]) is None


def test_the_import_drops_them_and_says_why(tmp_path):
    result = import_national(FIXTURE, tmp_path, "2026-11-30", catalog=None, stream=io.StringIO())
    assert {"3.000244", "1.014208"} == set(result.dropped)
    assert not (tmp_path / "3.000244.json").exists() and (tmp_path / "1.004194.json").exists()
    report = (tmp_path / "IMPORT_REPORT.md").read_text(encoding="utf-8")
    assert "| 3.000244 |" in report and "Hà Tĩnh" in report and "Sơn La" in report


def test_a_nationwide_record_loses_another_provinces_name_from_its_agency(tmp_path):
    import_national(FIXTURE, tmp_path, "2026-11-30", catalog=None, stream=io.StringIO())
    agencies = json.loads((tmp_path / "3.000215.json").read_text(encoding="utf-8"))["agencies"]
    assert "An Giang" not in json.dumps(agencies, ensure_ascii=False)
    assert agencies["performing"] == "Sở Nông nghiệp và Môi trường"


def test_a_law_glued_to_the_previous_title_is_its_own_legal_basis():
    laws = {law.get("code"): law["title"] for law in parsed("1.012791")["legal_basis"]}
    assert laws["58/2024/QH15"].startswith("Luật số 58/2024/QH15") and "Đầu tư công" in laws["58/2024/QH15"]
    assert laws["43/2024/QH15"] == "Luật số 43/2024/QH15 ngày 29/6/2024"


def test_a_decree_after_a_full_stop_and_a_code_inside_a_title_are_not_lost():
    laws = {law.get("code"): law["title"] for law in parsed("2.001019")["legal_basis"]}
    assert "18/2026/NĐ-CP" in laws and laws["01/2020/TT-BTP"] == "Thông tư 01/2020/TT-BTP"
    assert laws["280/2025/NĐ-CP"].startswith("Nghị định số 280/2025/NĐ-CP")
    assert laws["280/2025/NĐ-CP"].endswith("Nghị định số 07/2025/NĐ-CP")  # cited inside the title, not a document
    assert "07/2025/NĐ-CP" not in laws


def test_a_paper_counted_zero_originals_stays_a_paper():
    record = parsed("1.002551")
    names = [d["name"] for d in record["documents"]]
    assert any(n.startswith("Tài liệu chứng minh sự phù hợp") for n in names)
    assert not any(n.startswith("Tài liệu chứng minh") for n in record.get("document_notes", []))


def test_a_form_file_name_is_taken_off_the_papers_name():
    (paper,) = [d for d in parsed("1.002046")["documents"] if d["name"].startswith("Giấy đề nghị gia hạn")]
    assert paper["name"].endswith("theo Hiện định GMS") and paper["form"] == "GMS - Gia hạn.docx"
