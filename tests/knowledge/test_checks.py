"""Cross-file checks: neighbours, lookup templates, catalog coverage."""
import pytest

from bot.knowledge.checks import catalog_gaps
from bot.knowledge.loader import load_knowledge, read_knowledge
from helpers.knowledge_tree import make_tree, replace_in


@pytest.fixture
def tree(tmp_path):
    return make_tree(tmp_path / "knowledge")


def test_distinguish_must_name_a_known_procedure(tree):
    path = tree / "local" / "ho-tich" / "khai-sinh.toml"
    replace_in(path, "[where]", '[[distinguish]]\nid = "ho-tich/khong-co"\nhint = "Khác."\n\n[where]')
    problems = [str(p) for p in read_knowledge(tree)[1]]
    assert any('distinguish.id: "ho-tich/khong-co" is neither a catalog id nor a portal code' in p for p in problems)


def test_status_lookup_only_fills_code(tree):
    replace_in(tree / "local" / "province.toml", "?ma={code}", "?ma={ma_ho_so}")
    problems = [str(p) for p in read_knowledge(tree)[1]]
    assert any("status_lookup.url: unknown placeholder ma_ho_so" in p for p in problems)


def test_catalog_gaps_name_the_missing_ids_and_codes(tree, tmp_path):
    catalog = tmp_path / "catalog.tsv"
    catalog.write_text("id\tname\tfield\tportal_codes\n"
                       "ho-tich/khai-sinh\tĐăng ký khai sinh\tHộ tịch\t1.000001 1.000002\n"
                       "ho-tich/ket-hon\tĐăng ký kết hôn\tHộ tịch\t1.000894\n", encoding="utf-8")
    gaps = [str(p) for p in catalog_gaps(load_knowledge(tree), catalog)]
    assert len(gaps) == 2
    assert "portal_codes: the catalog lists 1.000002 for ho-tich/khai-sinh" in gaps[0]
    assert gaps[1].startswith("knowledge/local/ho-tich/ket-hon.toml:1: (file): catalog id ho-tich/ket-hon")
