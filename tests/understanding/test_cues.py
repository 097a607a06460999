"""Phrase lists: accent-insensitive, word-bounded, with a '*' wildcard of up to three words."""
import json
import random
import re
from pathlib import Path

from bot.understanding.cues import PhraseSet
from bot.understanding.normalize import canonical, fold


def test_phrases_match_whole_words_without_accents():
    cues = PhraseSet(["mã hồ sơ", "hi"])
    assert cues.count("cho toi xem ma ho so") == 1
    assert cues.count("chi tiet") == 0  # "hi" is not inside "chi"


def test_wildcard_spans_up_to_three_words():
    cues = PhraseSet(["nộp * hôm qua"])
    assert cues.count("em nop ho so hom qua") == 1
    assert cues.count("nop ho so hom qua") == 1
    assert cues.count("nop mot hai ba bon nam hom qua") == 0


def test_remove_and_first_position():
    cues = PhraseSet(["cho tôi hỏi", "phí"])
    assert cues.remove("cho toi hoi phi lam giay") == "lam giay"
    assert cues.first_position("lam giay phi") == 9
    assert cues.first_position("lam giay") is None


# --- the prefilter: only phrases whose key word is in the text are searched (bot/understanding/cues.py) ---------
TESTS = Path(__file__).resolve().parent.parent
ODD_PHRASES = ["mã hồ sơ", "hi", "nộp * hôm qua", "* ở đâu", "cho tôi *", "a/c", "c.ơn", "cảm ơn!", "bao nhiêu?",
               "giá vàng", "thuốc", "sổ đỏ", "sổ-đỏ", "x", "1", "123 456", "(phí)", "đ/c ubnd", "*", "* *"]
TAILS = [" ", ".", ",", "?", "!", "/", "-", "(", ")", "...", " / ", "\n", "_", "*", "'", '"', ":", ";", ""]


def all_patterns(cues: PhraseSet, text: str) -> list:
    """What every phrase of the set finds, searched one by one (the set without its prefilter)."""
    return [m.span() for pat in cues.patterns if (m := pat.search(text))]


def varied_texts() -> list[str]:
    """The labelled questions folded, canonical and as typed, and mangled: punctuation glued to words, words
    joined by "/", "_" or "-", accents half kept, words shuffled, wildcard gaps of every size."""
    rng = random.Random(14)
    qs = [json.loads(line)["q"] for name in ("questions.jsonl", "english_questions.jsonl")
          for line in (TESTS / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for q in qs:
        words = fold(q).split()
        out += [fold(q), canonical(q), q, " ".join(re.findall(r"\w+", canonical(q)))]
        out.append("".join(w + rng.choice(TAILS) for w in words))
        out.append(" ".join(rng.sample(words, len(words))))
        out.append(" ".join(w if rng.random() < 0.5 else a for w, a in zip(words, canonical(q).split())))
    out += ["nop ho so hom qua", "nop a b c hom qua", "nop a b c d hom qua", "em nop/ho so hom qua", "(ma ho so)",
            "ma_ho so", "ma ho so/", "/ma ho so", "c.on ban", "cam on!", "bao nhieu?", "o dau", "gia vang", "giá vàng",
            "thuốc", "thuoc", "thuộc", "so-do", "so do", "x/1", "123 456", "(phi)", "d/c ubnd", "", " ", "*", "? ?"]
    return out


def test_the_prefilter_finds_what_every_phrase_searched_alone_finds(understander, assistant):
    sets = [understander.stopwords, understander.off_topic, understander.not_own, understander.followup,
            understander.follow_markers, assistant.brain.handoff, *understander.intents.values(),
            *understander.aspects.values(), PhraseSet(ODD_PHRASES), PhraseSet(ODD_PHRASES, accents=True)]
    texts = varied_texts()
    found = 0
    for cues in sets:
        for text in texts:
            assert [m.span() for m in cues.hits(text)] == all_patterns(cues, text), (text, cues.patterns[:3])
            every = [m.start() for pat in cues.patterns for m in pat.finditer(text)]
            assert cues.last_position(text) == (max(every) if every else None)
            found += len(every)
    assert found > 1000  # the texts do contain phrases: the comparison is not between empty lists


def test_dropping_and_removing_phrases_is_unchanged_by_the_prefilter(understander):
    def drop_all(cues, pairs):  # the plain way: every phrase over the words joined by spaces
        text = "".join(w + " " for w, _ in pairs)
        starts = [sum(len(w) + 1 for w, _ in pairs[:i]) for i in range(len(pairs))]
        spans = [m.span() for pat in cues.patterns for m in pat.finditer(text)]
        return [p for p, s in zip(pairs, starts) if not any(a <= s < b for a, b in spans)]

    def remove_all(cues, text):
        for pat in cues.patterns:
            text = pat.sub(" ", text)
        return " ".join(text.split())

    for cues in (understander.stopwords, understander.not_own, understander.followup, PhraseSet(ODD_PHRASES)):
        for text in varied_texts():
            pairs = [(w, None) for w in fold(text).split()]
            assert cues.drop_words(pairs) == drop_all(cues, pairs)
            assert cues.remove(text) == remove_all(cues, text)


def test_a_phrase_without_a_plain_word_is_always_searched():
    cues = PhraseSet(["c.ơn", "* *", "cảm ơn"])
    assert cues.keyless == [0, 1]  # "c.on" is no run of letters; "* *" has no word at all
    for text in ("c.on nhe", "ok c.on", "cam on", "? ? ", "...", ""):
        assert [m.span() for m in cues.hits(text)] == all_patterns(cues, text)
    assert [m.group(0) for m in cues.hits("ok c.on")] == ["c.on"]
