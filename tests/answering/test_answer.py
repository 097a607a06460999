"""The answer model: section order led by the aspect, JSON form for the web."""
import json

from bot.answering.answer import Answer, Section, lead_with


def test_lead_with_moves_the_asked_section_first_and_keeps_the_rest_in_order():
    sections = [Section(k, k) for k in ("source", "fee_time", "where", "documents")]
    assert [s.key for s in lead_with(sections, None)] == ["documents", "where", "fee_time", "source"]
    assert [s.key for s in lead_with(sections, "time")] == ["fee_time", "documents", "where", "source"]


def test_to_dict_is_plain_json():
    answer = Answer("procedure", "Đăng ký", sections=[Section("documents", "Giấy tờ", ["☐ a"])])
    data = json.loads(json.dumps(answer.to_dict(), ensure_ascii=False))
    assert data["kind"] == "procedure" and data["sections"][0]["lines"] == ["☐ a"]
