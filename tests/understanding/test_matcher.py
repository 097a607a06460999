"""The pure matcher core on a small hand-made index (the shipped knowledge is tested in test_intents)."""
import pytest

from bot.understanding.matcher import ProcedureIndex, SearchDoc, terms_of
from bot.understanding.normalize import fold, tokens


def tokenize(text):
    return tokens(fold(text))


DOCS = [
    SearchDoc("khai-sinh", (("Đăng ký khai sinh", 1.0), ("làm giấy khai sinh", 1.0)), "Hộ tịch", 1.0),
    SearchDoc("lai-khai-sinh", (("Đăng ký lại khai sinh", 1.0),), "Hộ tịch", 1.0),
    SearchDoc("1.000001", (("Đăng ký khai sinh lưu động", 1.0),), "Hộ tịch", 0.88),
    SearchDoc("tach-ho", (("Tách hộ", 1.0),), "Cư trú", 0.88),
    SearchDoc("ket-hon", (("Đăng ký kết hôn", 1.0),), "Hộ tịch", 1.0),
]


@pytest.fixture(scope="module")
def index():
    return ProcedureIndex(DOCS, tokenize, known_words={"cho", "con", "toi"})


def ask(index, text):
    return index.search(tokenize(text))


def test_terms_are_syllables_and_pairs():
    assert terms_of(["khai", "sinh"]) == {"khai", "sinh", "khai_sinh"}


def test_everyday_name_beats_the_long_tail(index):
    found = ask(index, "làm giấy khai sinh cho con")
    assert found[0].id == "khai-sinh"
    assert found[0].score > next(c.score for c in found if c.id == "1.000001")


def test_exact_long_tail_name_finds_its_own_record(index):
    assert ask(index, "tách hộ")[0].id == "tach-ho"
    assert ask(index, "đăng ký khai sinh lưu động")[0].id == "1.000001"


def test_word_order_pairs_separate_near_neighbours(index):
    assert ask(index, "dang ky lai khai sinh")[0].id == "lai-khai-sinh"


def test_typos_and_telex_are_corrected_against_the_vocabulary(index):
    assert index.correct("honf") == "hon"
    assert index.correct("sinnh") == "sinh"
    assert index.correct("xinh") == "xinh"  # a different first letter is another word, not a typo
    assert index.correct("toi") == "toi"  # a known word is never "corrected"
    assert ask(index, "dang ky ket honf")[0].id == "ket-hon"


def test_scores_are_between_zero_and_one_and_sorted(index):
    found = ask(index, "đăng ký khai sinh")
    assert all(0 <= c.score <= 1 for c in found)
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)


def test_nothing_known_gives_no_candidates_and_best_is_none(index):
    assert ask(index, "thời tiết hôm nay") == []
    assert index.best(tokenize("thời tiết hôm nay")) is None
    assert index.best(tokenize("khai sinh"), score_cutoff=0.99) is None
    assert index.best(tokenize("đăng ký kết hôn"), score_cutoff=0.5).id == "ket-hon"


def test_a_more_specific_procedure_wins_when_the_question_names_what_makes_it_specific():
    docs = [SearchDoc("ket-hon", (("Đăng ký kết hôn", 1.0), ("kết hôn", 1.0)), "", 1.0),
            SearchDoc("ket-hon-nn", (("Đăng ký kết hôn có yếu tố nước ngoài", 1.0),), "", 1.0)]
    index = ProcedureIndex(docs, tokenize)
    assert index.search(tokenize("đăng ký kết hôn"))[0].id == "ket-hon"
    assert index.search(tokenize("lấy chồng Đài Loan thì đăng ký kết hôn nước ngoài ở đâu"))[0].id == "ket-hon-nn"


def test_among_equally_close_corrections_the_commonest_word_wins():
    docs = [SearchDoc(f"d{i}", ((f"tạm trú {i}", 1.0),), "", 1.0) for i in range(3)]
    docs.append(SearchDoc("trau", (("con trâu", 1.0),), "", 1.0))
    index = ProcedureIndex(docs, tokenize)
    assert index.correct("truu") == "tru"  # "trau" is one edit away too, but rarer


def full_ranking(index, ids, q, accents, q_weight):
    """Every candidate scored phrase by phrase and sorted by rank: what `_ranked` must give the head of."""
    return sorted(zip(index._combine([index._parts(i, q, accents, q_weight) for i in ids]), ids),
                  key=lambda s: s[0][0], reverse=True)


def test_candidates_left_unscored_could_not_have_reached_the_head(understander):
    """The shipped index, every labelled question as typed and as the understander reads it (accents, typos,
    English): the head `_ranked` keeps is the head of the full ranking, rank for rank, and no bound is below
    the rank it bounds."""
    import json
    from pathlib import Path

    from bot.understanding.intents import pairs_of

    root = Path(__file__).resolve().parent.parent
    qs = [json.loads(line)["q"] for name in ("questions.jsonl", "english_questions.jsonl")
          for line in (root / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    index, skipped = understander.index, 0
    for text in qs:
        n = understander.normalize(text)
        for words in (understander.words(n), pairs_of(n), [w for w, _ in pairs_of(n)][:3]):
            q, accents = index.query_terms(words)
            if not q:
                continue
            q_weight, ids = index._weight(q), index._candidates(q)
            full = full_ranking(index, ids, q, accents, q_weight)
            most = max((p[2] for p in (index._parts(i, q, accents, q_weight) for i in ids)), default=0.0) or 1.0
            bounds = [index._bound(i, index._base(i, q, accents, q_weight), q_weight, most) for _, i in full]
            assert all(bound >= rank for bound, ((rank, _, _), _) in zip(bounds, full))
            for keep in (1, 5, 6, 40):
                assert index._ranked(ids, q, accents, q_weight, keep) == full[:keep]
            skipped += sum(bound < full[min(5, len(full) - 1)][0][0] for bound in bounds)  # never scored in full
    assert skipped > 1000  # the bound does leave most candidates unscored: the comparison tests something


def test_the_tighter_bound_and_the_accent_tables_agree_with_scoring_each_document(understander):
    """The shipped index, the labelled questions as the understander reads them: `_tighter` is never below the rank
    it bounds, and the mismatched syllables found per syllable (`mismatched`) are those of each document's spellings."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    qs = [json.loads(line)["q"] for name in ("questions.jsonl", "english_questions.jsonl")
          for line in (root / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    index, accented = understander.index, 0
    for text in qs:
        q, accents = index.query_terms(understander.words(understander.normalize(text)))
        if not q:
            continue
        q_weight, ids = index._weight(q), index._candidates(q)
        full = full_ranking(index, ids, q, accents, q_weight)
        most = max((p[2] for p in (index._parts(i, q, accents, q_weight) for i in ids)), default=0.0) or 1.0
        for (rank, _, _), i in full:
            assert index._tighter(i, index._base(i, q, accents, q_weight), q_weight, most) >= rank
        found = index.mismatched(ids, accents)
        for i in ids:
            spelled = {t: s - {t} for t, s in index.variants[i].items() if s - {t}}
            expected = {t for t, typed in accents.items() if t in spelled and typed not in spelled[t]}
            assert found.get(i, frozenset()) == expected
            accented += bool(expected)
    assert accented > 0  # some accents typed do differ from a candidate's: the comparison tests something
