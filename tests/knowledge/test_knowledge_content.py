"""The shipped knowledge: every catalog procedure is curated with every field a citizen needs."""
import pytest

from bot.knowledge.checks import catalog_gaps
from bot.running.settings import DEFAULT_CATALOG

CATALOG_ROWS = [line.split("\t") for line in DEFAULT_CATALOG.read_text(encoding="utf-8").splitlines()[1:] if line]


def test_the_catalog_is_beside_the_project():
    assert len(CATALOG_ROWS) == 51, f"expected ../shared/spec/catalog.tsv at {DEFAULT_CATALOG}"


def test_no_catalog_gap(knowledge):
    assert [str(p) for p in catalog_gaps(knowledge, DEFAULT_CATALOG)] == []


@pytest.mark.parametrize("row", CATALOG_ROWS, ids=lambda r: r[0])
def test_catalog_procedure_is_complete(knowledge, row):
    proc = knowledge.find(row[0])
    d = proc.data
    assert proc.curated and proc.id == row[0]
    assert set(row[3].split() if len(row) > 3 else []) == set(proc.codes) or d.get("local_only")
    assert len(d["summary"]) > 40 and len(d["aliases"]) >= 8 and d["distinguish"]
    assert d["documents"] and all(doc.get("count") for doc in d["documents"] if doc.get("section") != "luu_y")
    assert d["where"]["level"] and d["where"]["counter"]
    for method in d["methods"]:
        assert "fee" in method or method.get("fee_text"), method   # a number, or words saying why not
        assert method.get("time") or "thời hạn" in method.get("note", "").lower(), method
    if any(m["kind"] == "online" for m in d["methods"]):
        assert d["online"]["url"].startswith("https://")
    assert "conditions" in d  # possibly empty, then a review flag says so
    assert d["legal_basis"] and d["source"].startswith("https://") and d["checked"]


def test_required_offices_and_general_faq(knowledge):
    kinds = {o["kind"] for o in knowledge.offices.values()}
    assert {"province_centre", "commune_centre", "police", "land_registry"} <= kinds
    units = {o.get("unit") for o in knowledge.offices.values()}
    assert {"phường Kinh Bắc", "xã Tây Yên Tử"} <= units
    for office in knowledge.offices.values():
        assert office["address"] and office["checked"] and (office.get("counters") or office.get("handles"))
    assert {"vneid-muc-2", "dang-nhap-cong-dvc", "thanh-toan-phi-truc-tuyen", "ban-sao-chung-thuc"} <= {
        f["id"] for f in knowledge.faq}
    assert len(knowledge.province["units"]) == 99
