"""The English knowledge is checked like the rest: English keys of a curated file, english.toml, English aliases."""
import pytest

from bot.knowledge.loader import load_knowledge, read_knowledge
from helpers.knowledge_tree import make_tree

ENGLISH = '''stopwords = ["the", "my"]

[vocabulary]
"birth certificate" = "giấy khai sinh"

[aspects]
fee = ["how much"]
'''
ENGLISH_KEYS = '''name_en = "Birth registration"
summary_en = "Registering a newborn's birth."
aliases_en = ["register a birth", "birth certificate"]
keywords_en = ["birth"]
'''


@pytest.fixture
def tree(tmp_path):
    root = make_tree(tmp_path / "knowledge")
    path = root / "local" / "ho-tich" / "khai-sinh.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("checked = 2026-11-27\n", "checked = 2026-11-27\n" + ENGLISH_KEYS),
                    encoding="utf-8")
    return root


def problems(root) -> list[str]:
    return [str(p) for p in read_knowledge(root)[1]]


def test_without_english_toml_the_knowledge_still_loads(tree):
    knowledge = load_knowledge(tree)
    assert knowledge.find("ho-tich/khai-sinh").data["name_en"] == "Birth registration"
    assert "english_stopwords" not in knowledge.lexicon


def test_english_toml_is_laid_into_the_lexicon(tree):
    (tree / "local" / "english.toml").write_text(ENGLISH, encoding="utf-8")
    lexicon = load_knowledge(tree).lexicon
    assert lexicon["synonyms"]["birth certificate"] == "giấy khai sinh"
    assert lexicon["synonyms"]["giấy khai sinh"] == "khai sinh"  # lexicon.toml's own entries are kept
    assert lexicon["english_stopwords"] == ["the", "my"] and "my" not in lexicon["stopwords"]
    assert lexicon["aspects"]["fee"] == ["phí", "how much"]


def test_a_wrong_english_key_is_named_with_its_file_and_line(tree):
    path = tree / "local" / "ho-tich" / "khai-sinh.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('aliases_en = ["register a birth", "birth certificate"]',
                                                            'aliases_en = "register a birth"'), encoding="utf-8")
    found = problems(tree)
    assert len(found) == 1 and found[0].startswith(f"{path}:10: aliases_en:"), found


def test_a_broken_english_toml_is_reported(tree):
    (tree / "local" / "english.toml").write_text('stopwords = ["the"]\nvocabulary = ["passport"]\n', encoding="utf-8")
    found = problems(tree)
    assert any("english.toml:2: vocabulary:" in p for p in found), found


def test_an_english_alias_belongs_to_one_procedure(tree):
    twin = tree / "local" / "ho-tich" / "khai-sinh-lai.toml"
    twin.write_text((tree / "local" / "ho-tich" / "khai-sinh.toml").read_text(encoding="utf-8")
                    .replace('aliases = ["làm giấy khai sinh", "gks"]', 'aliases = ["khai sinh lại"]'), encoding="utf-8")
    found = problems(tree)
    assert any(": aliases_en: " in p and '"register a birth"' in p and 'ho-tich/khai-sinh' in p for p in found), found
