"""Communes/wards named in a question: found with or without diacritics, and left out of the procedure search."""
from bot.understanding.normalize import fold, tokens
from bot.understanding.places import Places

UNITS = [{"name": "phường Kinh Bắc", "office": "ttpvhcc-kinh-bac"}, {"name": "xã Tây Yên Tử"},
         {"name": "xã Tam Giang", "formerly": ["xã Hòa Tiến", "xã Tam Giang"]}, {"name": "phường Quế Võ"}]


def words(text):
    return tokens(fold(text))


def test_a_ward_is_found_with_or_without_diacritics_and_kind():
    places = Places(UNITS, province="Bắc Ninh")
    assert places.find(words("Nhà tôi ở phường Kinh Bắc.")).unit["name"] == "phường Kinh Bắc"
    assert places.find(words("ca 2 dua deu o xa tay yen tu")).unit["name"] == "xã Tây Yên Tử"
    assert places.find(words("phòng em thuê ở Quế Võ")).unit["name"] == "phường Quế Võ"
    assert places.find(words("nhà e ở p Kinh Bắc")).unit["name"] == "phường Kinh Bắc"
    assert places.find(words("làm giấy khai sinh cho con")) is None


def test_a_former_unit_leads_to_todays_unit_but_only_with_its_kind():
    places = Places(UNITS)
    assert places.find(words("tôi ở xã Hòa Tiến cũ")).unit["name"] == "xã Tam Giang"
    assert places.find(words("hòa tiến")) is None  # a bare former name is often another place's too


def test_a_bare_name_that_procedures_use_needs_its_kind():
    places = Places([{"name": "xã Kinh Doanh"}], procedure_pairs={"kinh_doanh"})
    assert places.find(words("đăng ký kinh doanh")) is None
    assert places.find(words("tôi ở xã Kinh Doanh")).unit["name"] == "xã Kinh Doanh"


def test_place_and_province_names_are_dropped_before_matching():
    places = Places(UNITS, province="Bắc Ninh")
    pairs = [(w, None) for w in words("nộp ở phường Kinh Bắc tỉnh Bắc Ninh")]
    assert [w for w, _ in places.drop(pairs)] == ["nop", "o", "tinh"]


def test_the_shipped_knowledge_names_every_unit(understander, knowledge):
    for unit in knowledge.province["units"]:
        assert understander.places.find(words(f"tôi ở {unit['name']}")).unit is unit
