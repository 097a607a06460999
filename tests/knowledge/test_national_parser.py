"""Parser tests on real portal records (tests/fixtures/national-sample.jsonl) and spec examples."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.knowledge.national_documents import parse_documents
from bot.knowledge.national_legal import parse_legal, parse_results
from bot.knowledge.national_methods import parse_methods
from bot.knowledge.national_parser import parse_lines, parse_record
from bot.knowledge.schema import PROCEDURE
from bot.knowledge.schema_check import check_table

FIXTURE = Path(__file__).parent / "fixtures" / "national-sample.jsonl"
CHECKED = "2026-05-01"
METHODS_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"


@pytest.fixture(scope="module")
def raw() -> dict[str, dict]:
    records = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["ma_thu_tuc"]: r for r in records}


@pytest.fixture(scope="module")
def parsed(raw) -> dict[str, dict]:
    return {code: parse_record(r, CHECKED) for code, r in raw.items()}


def test_fixture_is_small_and_real(raw):
    assert FIXTURE.stat().st_size < 200_000
    assert {"1.004194", "1.001193", "1.013831", "1.000656"} <= set(raw)


def test_every_record_matches_the_schema(parsed):
    for code, record in parsed.items():
        assert check_table(record, PROCEDURE, required=("code",)) == [], code


def test_simple_fields(parsed):
    p = parsed["1.004194"]
    assert p["code"] == "1.004194"
    assert p["name"] == "Đăng ký tạm trú"
    assert p["field"] == "Đăng ký, quản lý cư trú"
    assert p["level"] == ["Cấp xã"]
    assert p["decision"] == "9354/QĐ-BCA-C06"
    assert p["source"] == "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-770b-734d-b7fb-5e1995f194f4"
    assert p["checked"] == CHECKED
    assert p["agencies"] == {"competent": "Công an cấp Xã", "performing": "Công an cấp Xã",
                             "address": "Công an cấp xã"}
    assert parsed["1.001266"]["level"] == ["Cấp bộ", "Cấp xã"]


def test_tam_tru_fee_differs_per_method(parsed):
    methods = parsed["1.004194"]["methods"]
    assert [(m["kind"], m["time"], m["days"], m["fee"]) for m in methods] == [
        ("online", "3 ngày làm việc", 3, 7000), ("in_person", "3 ngày làm việc", 3, 10000)]
    assert "7.000 đồng/lần" in methods[0]["note"]
    assert "Nộp hồ sơ trực tiếp tại Công an cấp xã" in methods[1]["note"]
    assert "fee_text" not in methods[0]
    assert "parse_warnings" not in parsed["1.004194"]


def test_bare_number_time_is_kept_with_a_warning(parsed):
    p = parsed["1.001193"]
    assert [m["kind"] for m in p["methods"]] == ["online", "post", "in_person"]
    for m in p["methods"]:
        assert m["time"] == "1 (cổng không ghi đơn vị)"
        assert "days" not in m
        assert m["fee"] == 0
    assert p["parse_warnings"] == ["methods: time '1' has no unit"]
    assert p["unparsed"]["cach_thuc_thuc_hien"].endswith("Trực tiếp1Miễn phí")


def test_fee_set_by_provincial_council_is_not_zero(parsed):
    for code in ("1.000656", "1.001266"):
        for m in parsed[code]["methods"]:
            assert "fee" not in m, code
            assert "HĐND tỉnh" in m["fee_text"]
            assert "Hội đồng nhân dân" in m["note"]


def test_free_fee_with_a_fee_law_note_is_not_zero(parsed):
    methods = parsed["1.013831"]["methods"]
    assert [(m["kind"], m["days"]) for m in methods] == [("online", 18), ("post", 4), ("in_person", 18)]
    assert all("fee" not in m and m["fee_text"].startswith("Theo quy định về phí") for m in methods)


def test_time_and_fee_glued_without_unit(parsed):
    m = parsed["1.007751"]["methods"][0]
    assert m["time"] == "1 (cổng không ghi đơn vị)"
    assert m["fee"] == 20000  # the note says 20.000 vnđ/tờ khai; the fee column says 20 VNĐ
    assert "20 VNĐ" in m["fee_text"]


def test_time_in_words(parsed):
    methods = parsed["1.007689"]["methods"]
    assert methods[0]["time"] == "Không phải trả kết quả cho người nộp thuế"
    assert methods[0]["fee"] == 0
    assert "parse_warnings" not in parsed["1.007689"]


def test_method_units_and_fees_from_the_spec():
    text = (METHODS_HEADER + "Trực tiếp15 Ngày2,000,000 Việt Nam Đồng"
            "Trực tuyến8 Giờ70,000 VNĐ(Phí thẩm định)Dịch vụ bưu chính5 Ngày làm việcMiễn phí")
    methods, warnings = parse_methods(text)
    assert warnings == []
    assert methods == [
        {"kind": "in_person", "time": "15 ngày", "days": 15, "fee": 2000000},
        {"kind": "online", "time": "8 giờ", "fee": 70000, "note": "Phí thẩm định"},
        {"kind": "post", "time": "5 ngày làm việc", "days": 5, "fee": 0},
    ]


def test_several_amounts_keep_the_text():
    text = METHODS_HEADER + "Trực tiếp10 Ngày50,000 VNĐ(Cấp mới: 50.000 đồng; cấp lại: 30.000 đồng)"
    (method,), _ = parse_methods(text)
    assert "fee" not in method
    assert method["fee_text"] == "50.000 đồng (có nhiều mức, xem ghi chú)"
    assert method["note"] == "Cấp mới: 50.000 đồng; cấp lại: 30.000 đồng"


def test_zero_count_rows_are_notes(parsed):
    p = parsed["1.001193"]
    names = [d["name"] for d in p["documents"]]
    assert any(n.startswith("Giấy chứng sinh; trường hợp không có Giấy chứng sinh") for n in names)
    assert all(not n.startswith("- ") for n in names)
    assert any(n.startswith("Trường hợp người yêu cầu đã nộp bản điện tử Giấy chứng sinh")
               for n in p["document_notes"])
    assert not any(n.startswith("Trường hợp người yêu cầu đã nộp bản điện tử") for n in names)
    shown = [d["name"] for d in p["documents"] if d["section"] == "xuat_trinh"]
    assert len(shown) == 2 and shown[1].startswith("Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước")
    assert {d["count"] for d in p["documents"]} == {"1 bản chính"}


def test_documents_forms_cases_and_notes(parsed):
    p = parsed["1.004194"]
    first = p["documents"][1]
    assert first["name"].startswith("Tờ khai thay đổi thông tin cư trú (Mẫu CT01")
    assert first["form"] == "1.MuCT01banhnhkmtheoThngts53.doc"
    assert "when" not in first  # "Hồ sơ đăng ký tạm trú gồm:" is the general case
    by_list = [d for d in p["documents"] if d.get("when") == "Đăng ký tạm trú theo danh sách, hồ sơ gồm"]
    assert [d["count"] for d in by_list] == ["1 bản chính", "1 bản chính, 1 bản sao"]
    assert p["document_notes"][-1].startswith("Trường hợp giấy tờ, tài liệu chứng minh chỗ ở hợp pháp để đăng ký")
    forms = [d["form"] for d in parsed["2.000018"]["documents"]]
    assert forms == ["Mau45.docx; Mau48.docx", "Mau06.docx; Mau08.docx"]


def test_count_glued_to_a_form_number(parsed):
    docs = parsed["1.013831"]["documents"]
    form18 = [d for d in docs if d["name"].endswith("theo Mẫu số 18")]
    assert len(form18) == 1 and form18[0]["count"] == "1 bản chính, 1 bản sao"
    assert form18[0]["when"].startswith("a) Đối với trường hợp chuyển đổi, chuyển nhượng")


def test_documents_section_titles():
    text = ("* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai1 bản chính"
            "* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượngHộ chiếu1 bản chính"
            "* Lưu ý:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Không nộp bản sao.0 bản chính")
    documents, notes, warnings = parse_documents(text)
    assert [(d["name"], d["section"]) for d in documents] == [("Tờ khai", "nop"), ("Hộ chiếu", "xuat_trinh")]
    assert notes == ["Không nộp bản sao."]
    assert warnings == []


def test_legal_codes_inside_long_titles(parsed):
    legal = parsed["1.001193"]["legal_basis"]
    assert {"code": "123/2015/NĐ-CP", "title": "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định "
            "chi tiết một số điều và biện pháp thi hành Luật Hộ tịch"} in legal
    assert {"code": "60/2014/QH13", "title": "Luật 60/2014/QH13"} in legal
    assert {"code": "18/2026/NĐ-CP", "title": "Nghị định sửa đổi, bổ sung một số nghị định để cắt giảm, đơn giản hóa "
            "thủ tục hành chính, điều kiện kinh doanh thuộc phạm vi quản lý của Bộ Tư pháp"} in legal
    assert {"code": "03/2023/TT-BTP", "title": "Thông tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ trưởng Bộ Tư pháp"} in legal
    assert len(legal) == 15


def test_legal_year_glued_to_code_and_decimal_codes(parsed):
    legal = parsed["1.004194"]["legal_basis"]
    assert {"code": "68/2020/QH14", "title": "Luật Cư trú 2020"} in legal
    assert legal[0]["code"] == "53/2025/TT-BCA"
    assert legal[0]["title"].startswith("Thông tư số 53/2025/TT-BCA ngày 01/7/2025 của Bộ Công an")
    assert [x["code"] for x in legal].count("66.7/2025/NQ-CP") == 1
    assert {"code": "57/2021/TT-BCA", "title": "Thông tư 57/2021/TT-BCA"} in legal


def test_legal_unrecognised_code_is_kept_with_a_warning(parsed):
    p = parsed["1.013831"]
    assert {"code": "118/2025/NĐ-C", "title": "Thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông "
            "tại Bộ phận Một cửa và cổng Dịch vụ công quốc gia"} in p["legal_basis"]
    assert {"code": "31/2024/QH15", "title": "Luật Đất đai ngày 18/01/2024"} in p["legal_basis"]
    assert p["parse_warnings"] == ["legal_basis: code '118/2025/NĐ-C' looks cut short"]
    assert set(p["unparsed"]) == {"can_cu_phap_ly"}
    items, warnings = parse_legal("Tên văn bản pháp lýMã văn bảnLuật Hóa chất")
    assert items == [{"title": "Luật Hóa chất"}] and warnings


def test_no_information_means_no_key(parsed):
    p = parsed["1.001193"]
    assert "conditions" not in p and "agencies" not in p
    q = parsed["1.014958"]
    assert q["legal_basis"] == []  # required by the schema: an empty list, not a missing key
    assert q["agencies"] == {"performing": "Cơ quan chức năng do Ủy ban nhân dân cấp tỉnh chỉ định"}
    assert "parse_warnings" not in q
    assert parse_lines("Không có thông tin") == []


def test_results_drop_the_page_boilerplate(parsed):
    results = parsed["1.004194"]["results"]
    assert [r["code"] for r in results] == ["KQ.G01.000067", "KQ.G01.000064", "KQ.G01.000065", "KQ.G01.000066"]
    assert results[0]["name"] == "Phiếu từ chối tiếp nhận, giải quyết hồ sơ (lĩnh vực cư trú)"
    assert parsed["1.001193"]["results"] == [{"name": "Giấy khai sinh", "code": "KQ.G15.000031"}]
    assert parse_results("Từ khóaKhông có thông tin") == ([], [])


def test_steps_are_lines(parsed):
    steps = parsed["1.004194"]["steps"]
    assert steps[0] == "Bước 1: Cá nhân, tổ chức chuẩn bị hồ sơ theo quy định của pháp luật."
    assert steps[3].startswith("Trường hợp hồ sơ đủ điều kiện theo quy định tại Điều 27 Luật Cư trú")
    assert steps[-1].startswith("Bước 5:")
    assert parse_lines("Bước 1: Nộp hồ sơ. Bước 2: Nhận kết quả.") == ["Bước 1: Nộp hồ sơ.", "Bước 2: Nhận kết quả."]
