"""Which language a message is written in: English or Vietnamese (mixed → the dominant one).

Pure and small. Each word is weighed as evidence:
- Vietnamese: a Vietnamese function word ("cho", "khong", "gi", "o dau" ...; double), with or without
  accents, or any other word with a Vietnamese diacritic (ạ, ư, đ ...; half: English questions quote
  Vietnamese names, "how do I register tạm trú");
- English: an English function word ("I", "my", "how", "the" ...; double), or a word of three or
  more letters that cannot be a Vietnamese syllable ("register", "want", "fee").
Words that could be either ("to", "can", "do", "so": "tờ", "cần", "đỏ", "sổ" typed without accents),
chat shorthands without vowels ("gks", "dc") and numbers say nothing. Function words show the
language of the sentence, so "I want to khai báo tạm trú cho my wife" is English.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.knowledge.text import fold

ENGLISH, VIETNAMESE = "en", "vi"
FUNCTION_WEIGHT = 2.0
ACCENTED_WEIGHT = 0.5  # an accented content word: often a procedure's name quoted in an English question
MIN_EVIDENCE = 2.0  # below this the message does not decide (e.g. "ok", "1", "gks", "tạm trú")
SWITCH_EVIDENCE = 3.0  # to change a conversation's language a message must say more ("Vo Cuong ward" does not)

ENGLISH_WORDS = frozenset("""
i i'm im i've i'd my mine me we our us you your he his him she her they their them it its this that these those
the a an of for from with without about into onto at by on in is are was were be been being am do does did done
have has had having will would should could can't cannot don't doesn't didn't isn't aren't won't what's how's
what which who whom whose when where why how there here than then if or and but because also just only still
yet already please thanks thank hello hey hi dear sir madam want wants wanted need needs needed get got getting
apply applying applied make making take takes took give know tell help check much many long same days week
weeks month months year years old new lost lose stolen renew renewal change changed exchange convert
foreigner foreign wife husband child children daughter baby parents mother father family friend boyfriend
girlfriend partner landlord apartment house home office work working job company citizen citizenship
vietnamese vietnam english
""".split())
# Typed without accents these are also Vietnamese words: they decide nothing.
AMBIGUOUS = frozenset("to can do so me he the an in on no my it at up hi bo ban con tan dan long hang song hoa "
                      "ma la co ca cha me ba ong ai sao hay a son day".split())

VIETNAMESE_WORDS = frozenset("""
toi tui em minh anh chi ban chau co chu bac ong ba cho hoi lam gi j dau khong ko k kg hok khum dc duoc can bao nhieu
nao sao the roi voi cua thi ma nay ay oi nhe nha nhi vay z v co la va o nhung phai di ve ra vao tu den vo chong bi
mat da dang se chua hay hoac neu khi giup xin muon mun biet bik cach thu tuc ho so giay to dang ky nop o tien ngay
""".split())

VOWELS = "aeiouy"
ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?"
NUCLEUS = (r"(?:uyeu|uyen|oai|oay|oeo|uay|uoi|uou|uya|uye|uyu|yeu|ieu|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|"
           r"ui|uo|uu|uy|ye|a|e|i|o|u|y)")
CODA = r"(?:ch|nh|ng|c|m|n|p|t)?"
SYLLABLE = re.compile(ONSET + NUCLEUS + CODA)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
VIETNAMESE_LETTERS = set("ăâêôơưđ")


def fold_word(word: str) -> str:
    """Lower case, no diacritics, đ → d."""
    return fold(unicodedata.normalize("NFC", word))


def has_vietnamese_marks(word: str) -> bool:
    """A letter only Vietnamese uses (ư, ơ, đ ...) or a tone mark on a vowel (á, ạ ...)."""
    lower = unicodedata.normalize("NFC", word.lower())
    return any(c in VIETNAMESE_LETTERS for c in lower) or fold_word(lower) != lower


def could_be_vietnamese(folded: str) -> bool:
    """Whether a folded word has the shape of one Vietnamese syllable (onset, vowels, final consonant)."""
    return bool(SYLLABLE.fullmatch(folded))


def evidence(text: str) -> dict[str, float]:
    """How much of the message speaks for each language."""
    score = {ENGLISH: 0.0, VIETNAMESE: 0.0}
    for word in WORD.findall(text or ""):
        folded = fold_word(word)
        if has_vietnamese_marks(word):
            score[VIETNAMESE] += FUNCTION_WEIGHT if folded in VIETNAMESE_WORDS else ACCENTED_WEIGHT
        elif folded in AMBIGUOUS:
            continue
        elif folded in ENGLISH_WORDS:
            score[ENGLISH] += FUNCTION_WEIGHT
        elif folded in VIETNAMESE_WORDS:
            score[VIETNAMESE] += FUNCTION_WEIGHT
        elif len(folded) >= 3 and any(c in VOWELS for c in folded) and not could_be_vietnamese(folded):
            score[ENGLISH] += 1.0
    return score


@lru_cache(maxsize=8)  # one reply asks it of the same text several times (language, words, own words)
def detect(text: str) -> str | None:
    """"en" or "vi" when the message shows its language clearly enough, else None (it does not decide)."""
    score = evidence(text)
    best = max(score, key=score.get)
    other = score[ENGLISH if best == VIETNAMESE else VIETNAMESE]
    if score[best] < MIN_EVIDENCE or score[best] <= other:
        return None
    return best


def conversation_language(text: str, current: str | None) -> str | None:
    """The language to answer in after this message: the detected one if it says enough, else the current one."""
    found = detect(text)
    if found is None or found == current or (current and evidence(text)[found] < SWITCH_EVIDENCE):
        return current
    return found
