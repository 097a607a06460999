"""check-knowledge --drift and --review: curated files compared with their national records; staff's list of doubts."""
import argparse
import io
import json

from bot.knowledge import validate
from bot.knowledge.drift import drift_problems, review_lines
from bot.knowledge.loader import load_knowledge
from bot.knowledge.staff_text import set_staff_language, staff_language
from helpers.knowledge_tree import make_tree, replace_in

import pytest


@pytest.fixture(autouse=True)
def vietnamese():
    """Staff read these lists in Vietnamese (the default outside tests)."""
    before = staff_language()
    set_staff_language("vi")
    yield
    set_staff_language(before)


def drifting_tree(tmp_path):
    tree = make_tree(tmp_path / "k")
    path = tree / "national" / "1.000001.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["legal_basis"].append({"code": "123/2015/NĐ-CP", "title": "Nghị định quy định chi tiết Luật Hộ tịch"})
    record["methods"].append({"kind": "in_person", "time": "3 ngày làm việc", "days": 3, "fee": 8000})
    record["documents"] += [{"name": "Tờ khai", "count": "1 bản chính", "section": "nop"},
                            {"name": "Giấy tờ tùy thân", "count": "1 bản sao", "section": "xuat_trinh"}]
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    replace_in(tree / "local" / "ho-tich" / "khai-sinh.toml", 'code = "60/2014/QH13"\ntitle = "Luật Hộ tịch"',
               'code = "60/2014/QH13"\ntitle = "Luật Hộ tịch"\n\n[[legal_basis]]\ncode = "62/2021/NĐ-CP"\ntitle = "Nghị định cũ"')
    return tree


def test_drift_names_missing_and_superseded_documents_and_unexplained_differences(tmp_path):
    found = [str(p) for p in drift_problems(load_knowledge(drifting_tree(tmp_path)))]
    text = "\n".join(found)
    assert "khai-sinh.toml" in found[0] and ": legal_basis: bản ghi quốc gia 1.000001 dẫn 123/2015/NĐ-CP" in text
    assert "62/2021/NĐ-CP đã bị thay thế bởi 154/2024/NĐ-CP" in text
    assert "in_person: tệp ghi lệ phí 0, bản ghi quốc gia 1.000001 ghi 8000" in text
    assert "bản ghi quốc gia 1.000001 có 3 giấy tờ, tệp có 2" in text


def test_a_review_item_about_the_fact_explains_the_difference(tmp_path):
    tree = drifting_tree(tmp_path)
    replace_in(tree / "local" / "ho-tich" / "khai-sinh.toml", 'checked = 2026-11-27',
               'checked = 2026-11-27\nreview = [{ about = "fee", text = "Mức thu do HĐND tỉnh quy định" }, "Một điều chung"]')
    knowledge = load_knowledge(tree)
    assert not any("lệ phí 0" in str(p) for p in drift_problems(knowledge))
    lines = review_lines(knowledge)
    assert lines[0].endswith("review[1] (fee): Mức thu do HĐND tỉnh quy định")
    assert lines[1].endswith("review[2] (cả thủ tục): Một điều chung") and ".toml:" in lines[1]


def test_the_reports_never_change_the_exit_code(tmp_path):
    out = io.StringIO()
    args = argparse.Namespace(dir=str(drifting_tree(tmp_path)), catalog="/nonexistent", drift=True, review=True)
    assert validate.command(args, out=out) == 0
    assert "Khác biệt so với dữ liệu quốc gia (" in out.getvalue()
    assert "Các điều đang chờ cán bộ xác nhận (0 mục)" in out.getvalue()


def test_the_shipped_curated_files_cite_no_superseded_decree(knowledge):
    assert not [str(p) for p in drift_problems(knowledge) if "đã bị thay thế" in p.message]
