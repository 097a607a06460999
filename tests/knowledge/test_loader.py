"""The knowledge loader: merged view of national and curated files; every broken file named by file:line: key."""
import pytest

from bot.knowledge.loader import load_knowledge, read_knowledge
from bot.knowledge.problems import KnowledgeError
from helpers.knowledge_tree import make_tree, replace_in


@pytest.fixture
def tree(tmp_path):
    return make_tree(tmp_path / "knowledge")


def curated(tree):
    return tree / "local" / "ho-tich" / "khai-sinh.toml"


def problems_of(tree):
    return [str(p) for p in read_knowledge(tree)[1]]


def test_valid_tree_loads_with_local_fields_over_national(tree):
    k = load_knowledge(tree)
    proc = k.find("ho-tich/khai-sinh")
    assert proc.curated and proc.name == "Đăng ký khai sinh"          # local over national
    assert proc.data["documents"][0]["name"] == "Tờ khai"              # local list wins whole
    assert proc.data["level"] == ["Cấp xã"]                            # national field kept
    assert k.find("1.000001") is proc and "1.000001" not in k.procedures
    assert k.offices["ttpvhcc-a"]["name"] == "Trung tâm A" and k.faq[0]["id"] == "vneid"


def test_toml_syntax_error_names_file_and_line(tree):
    replace_in(curated(tree), 'field = "Hộ tịch"', 'field = "Hộ tịch')
    (problem,) = problems_of(tree)
    assert problem.startswith(f"{curated(tree).as_posix()}:3: (syntax):")


def test_wrong_type_names_the_line_of_the_key(tree):
    replace_in(curated(tree), "fee = 0", 'fee = "năm mươi nghìn"')
    (problem,) = problems_of(tree)
    assert problem.startswith(f"{curated(tree).as_posix()}:20: methods[1].fee: should be a fee in VND as a whole number")


def test_second_array_table_is_located(tree):
    replace_in(curated(tree), 'name = "Giấy chứng sinh"\ncount = "1 bản chính"', 'name = "Giấy chứng sinh"\ncount = 1')
    (problem,) = problems_of(tree)
    assert ":15: documents[2].count: should be a text" in problem


def test_missing_required_key_says_how_to_fix(tree):
    replace_in(curated(tree), "checked = 2026-11-27\n", "")
    (problem,) = problems_of(tree)
    assert "checked: missing; add a date without quotes, e.g. 2026-11-27" in problem


def test_unknown_key_suggests_the_close_one(tree):
    replace_in(curated(tree), "aliases =", "alias =")
    found = problems_of(tree)
    assert any('alias: unknown key; did you mean "aliases"?' in p for p in found)


def test_choice_outside_the_list(tree):
    replace_in(curated(tree), 'kind = "in_person"', 'kind = "truc tiep"')
    (problem,) = problems_of(tree)
    assert 'methods[1].kind: "truc tiep" is not allowed; use one of: online, in_person, post' in problem


def test_bad_link(tree):
    replace_in(curated(tree), 'source = "https://dichvucong.gov.vn/p/1"', 'source = "dichvucong.gov.vn"')
    (problem,) = problems_of(tree)
    assert ':6: source: "dichvucong.gov.vn" is not a link' in problem


def test_portal_code_must_exist_in_national_layer(tree):
    replace_in(curated(tree), '["1.000001"]', '["9.999999"]')
    (problem,) = problems_of(tree)
    assert ":2: portal_codes: 9.999999 not in knowledge/national" in problem


def test_local_only_procedure_needs_no_portal_code(tree):
    replace_in(curated(tree), 'portal_codes = ["1.000001"]', "local_only = true")
    assert problems_of(tree) == []
    assert load_knowledge(tree).find("ho-tich/khai-sinh").codes == ()


def test_neither_portal_code_nor_local_only(tree):
    replace_in(curated(tree), 'portal_codes = ["1.000001"]\n', "")
    (problem,) = problems_of(tree)
    assert "portal_codes: missing; add the portal code(s) or local_only = true" in problem


def test_unknown_office_reference(tree):
    replace_in(curated(tree), '["ttpvhcc-a"]', '["ttpvhcc-b"]')
    (problem,) = problems_of(tree)
    assert ':24: where.offices: office "ttpvhcc-b" is not in offices.toml' in problem


def test_alias_collision_between_two_procedures(tree):
    other = tree / "local" / "ho-tich" / "khai-sinh-2.toml"
    other.write_text(curated(tree).read_text(encoding="utf-8").replace('"gks"', '"GKS"'), encoding="utf-8")
    found = problems_of(tree)
    assert any('aliases: "làm giấy khai sinh" is also an alias of ho-tich/khai-sinh' in p for p in found)


def test_broken_national_file(tree):
    (tree / "national" / "1.000001.json").write_text('{"code": "1.000001",\n "name": }', encoding="utf-8")
    found = problems_of(tree)
    assert found[0].endswith(".json:2: (syntax): Expecting value; regenerate the file with import-national")


def test_missing_special_file(tree):
    (tree / "local" / "faq.toml").unlink()
    assert any(p.endswith("faq.toml:1: (file): missing; create it (see knowledge/README.md)") for p in problems_of(tree))


def test_load_knowledge_raises_with_all_problems(tree):
    replace_in(curated(tree), "fee = 0", "fee = -5")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(tree)
    assert "methods[1].fee" in str(err.value) and len(err.value.problems) == 1
