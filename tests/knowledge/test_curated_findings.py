"""The audit's findings in the curated files, fixed from the records and the law (or flagged in review)."""
from bot.knowledge.review import review_items


def codes(knowledge, pid):
    return {law.get("code") for law in knowledge.find(pid).data["legal_basis"]}


def test_passports_are_filed_on_the_portals_the_record_names(knowledge):
    d = knowledge.find("xuat-nhap-canh/ho-chieu").data
    assert "VNeID" not in " ".join([d["online"]["how"].split("(VNeID)")[0], *d["steps"], d["where"]["note"]])
    assert any(i.about == "online" and "VNeID" in i.text for i in review_items(d))


def test_permanent_residence_with_relatives_follows_article_20(knowledge):
    d = knowledge.find("cu-tru/thuong-tru").data
    assert any("khuyết tật đặc biệt nặng" in c for c in d["conditions"])
    assert any(i.about == "conditions" for i in review_items(d))  # written from the law, to be checked word for word
    assert "58/2026/NĐ-CP" in codes(knowledge, "cu-tru/thuong-tru")


def test_cited_documents_are_current_and_complete(knowledge):
    assert "62/2021/NĐ-CP" not in codes(knowledge, "cu-tru/xac-nhan-cu-tru")
    assert "154/2024/NĐ-CP" in codes(knowledge, "cu-tru/xac-nhan-cu-tru")
    assert "105/2025/NĐ-CP" in codes(knowledge, "xay-dung/giay-phep-nha-o")
    assert {"106/2021/TT-BTC", "281/2016/TT-BTC"} <= codes(knowledge, "ho-tich/thay-doi-cai-chinh")


def test_the_audited_cards_doubts_name_their_facts(knowledge):
    for pid in ("cu-tru/tam-tru", "dat-dai/chuyen-nhuong-tang-cho-thua-ke"):
        assert all(i.about for i in review_items(knowledge.find(pid).data)), pid
