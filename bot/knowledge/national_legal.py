"""Parse the portal's flattened legal-basis table (`can_cu_phap_ly`) and results (`ket_qua_xu_ly`).

Legal basis: "Tên văn bản pháp lýMã văn bản" then "<title><code>" pairs glued together, e.g.
"Luật Cư trú 202068/2020/QH14Nghị định ...154/2024/NĐ-CP". A code also occurs inside long titles
("Nghị định số 123/2015/NĐ-CP ngày ..."), where it is followed by a space; the pair's own code is
glued to the next title (or ends the text). Pure functions returning (value, warnings).
"""
from __future__ import annotations

import re

from bot.knowledge.national_methods import EMPTY, clean
from bot.knowledge.text import fold

HEADER = "Tên văn bản pháp lýMã văn bản"
SEG = r"(?:UBTVQH\d{2}|QH\d{2}|TTg|[A-ZĐ]\d{2}(?!\d)|[A-ZĐƯ]+)"
CODE = re.compile(r"(?<!\d)(\d+(?:\.\d+)?(?:\.?[a-z](?=/))?)/(?:(\d{4})/)?(" + SEG + r"(?:[-_/]" + SEG + r")*)")
PREFIX = (r"(?:(?:Thông tư liên tịch|Thông tư|Nghị định|Nghị quyết|Quyết định|Bộ luật|Luật|Pháp lệnh|"
          r"Văn bản hợp nhất|Lệnh|Chỉ thị|Công văn)\s*(?:số\s*)?|số\s*)")
BARE_PREFIX = re.compile(PREFIX + r"?")
GLUED_PREFIX = re.compile(r"(.*[a-zà-ỹ.;:)])" + PREFIX + r"$", re.S)
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZĐƯ"
TRAILER = "Cơ quan thực hiện"  # page text that sometimes leaks into the field
ISSUERS = frozenset("CP TTg BTC BTP BCA BNNMT NHNN BGTVT BXD BTNMT BNNPTNT BKHĐT BHXH UBND BLĐTBXH HĐND BKHCN "
                    "BNV BVHTTDL BYT BQP CSXH BCT BNG VPQH VPCP BGDĐT BTTTT TANDTC HĐTP VKSNDTC UBCKNN TCHQ "
                    "NV CTN".split())
INITIALS = "ngh ng gh gi kh nh ph qu th tr ch b c d g h k l m n p r s t v x".split()  # over folded text (đ → d)
RESULT_CODE = re.compile(r"Mã:\s*([A-Za-z0-9][A-Za-z0-9.\-]*\d)")
BOILERPLATE = "Từ khóa"


def is_syllable(word: str) -> bool:
    """A plausible Vietnamese syllable ('Thông', 'Sửa'), to tell 'NĐ-CPThông' from 'TT-BCAngày'."""
    base = fold(word)
    initial = next((i for i in INITIALS if base.startswith(i)), "")
    return re.fullmatch(r"[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?", base[len(initial):]) is not None


def find_codes(text: str) -> list[tuple[int, int, str]]:
    """(start, end, code) of every document code, left to right; a code glued to the previous one is
    found too ('QH1360/2014/QH13')."""
    found, pos = [], 0
    while m := CODE.search(text[pos:]):
        start, end = pos + m.start(), pos + m.end()
        number = m.group(1)
        if len(number.split(".")[0]) > 4 and number[:2] in ("19", "20"):  # 'Luật Cư trú 2020' + '68/...'
            start += 4
        end = trim_glued_word(text, start, end)
        end = trim_glued_capitals(text, start, end)
        found.append((start, end, text[start:end]))
        pos = end
    return found


def trim_glued_word(text: str, start: int, end: int) -> int:
    """'NĐ-CPThông' -> end before 'T' when the last capital starts a glued word."""
    follow = re.match(r"[a-zà-ỹ]+", text[end:])
    last = re.split(r"[-_/]", text[start:end])[-1]
    if last in ISSUERS and last[:-1] not in ISSUERS:  # 'TT-BTChông tư' (a letter lost): keep BTC
        return end
    if follow and end - start > 1 and text[end - 2] in "-" + UPPER and is_syllable(text[end - 1] + follow.group(0)):
        return end - 2 if text[end - 2] == "-" else end - 1
    return end


def trim_glued_capitals(text: str, start: int, end: int) -> int:
    """'NĐ-CPQUY ĐỊNH ...' (a title in capitals glued on): cut the last part to a known issuer."""
    parts = re.split(r"[-_/]", text[start:end])
    last = parts[-1]
    if len(parts) < 3 or last in ISSUERS or re.fullmatch(r"(UBTV)?QH\d{2}", last):
        return end
    known = [i for i in ISSUERS if last.startswith(i)]
    return end - len(last) + max(map(len, known)) if known else end


def is_pair_end(text: str, start: int, end: int) -> bool:
    """The code column ends here: at the end, glued to the next title (not 'ngày ...'), or glued to
    its own title ('... Bộ Tư pháp18/2026/NĐ-CP Nghị định ...')."""
    if not text[end:].strip(" .;,"):
        return True
    nxt = text[end]
    if nxt.isdigit() or (nxt.isalpha() and not text[end:].startswith("ngày")):
        return True
    glued = start > 0 and (text[start - 1].isalpha() or text[start - 1] in ".;)")  # 'Bộ Tư pháp.18/2026/NĐ-CP'
    return glued and re.match(r"\s+[A-ZĐ]", text[end:]) is not None


def parse_legal(text: str) -> tuple[list[dict], list[str]]:
    text = (text or "").strip()
    text = text[:text.find(TRAILER)] if TRAILER in text else text
    if not text or text.startswith(EMPTY):
        return [], []
    warnings = []
    if text.startswith(HEADER):
        text = text[len(HEADER):]
    else:
        warnings.append("legal_basis: table header missing")
    pairs, pos = [], 0
    for start, end, code in find_codes(text):
        if is_pair_end(text, start, end):
            pairs.append([text[pos:start], code])
            pos = end
    tail = text[pos:]
    if any(ch.isalnum() for ch in tail):
        pairs.append([tail, None])
    items = tidy_pairs(pairs)
    for item in items:
        if "code" not in item:
            warnings.append(f"legal_basis: no document code for {item['title'][:60]!r}")
        elif re.search(r"-[A-ZĐ]$", item["code"]):
            warnings.append(f"legal_basis: code {item['code']!r} looks cut short")
    return items, warnings


def tidy_pairs(pairs: list[list]) -> list[dict]:
    """Join split pairs ('Luật ' + code, then the same code again) and drop prefixes glued to titles."""
    out: list[list] = []
    for title, code in pairs:
        folded = bool(out) and out[-1][1] == code and out[-1][0].endswith(code or "\0")
        if not title.strip() and out:
            if out[-1][1] == code and not folded:  # 'Luật 60/2014/QH13' + '60/2014/QH13'
                out[-1] = [out[-1][0] + out[-1][1], code]
            elif code and out[-1][1] and out[-1][1] != code and code in out[-1][0]:  # '... bởi Nghị định số 07/2025/NĐ-CP' + '280/...':
                out[-1] = [out[-1][0] + out[-1][1], code]  # the previous code was inside the title
            elif out[-1][1] != code:  # a bare code standing as its own title
                out.append([code, code])
            continue
        if code and BARE_PREFIX.fullmatch(title.strip() + " "):
            if folded:
                continue  # 'Nghị định 101/2024/NĐ-CP' twice: title, then its code column
            title = title + code
        elif code and (glued := GLUED_PREFIX.fullmatch(title)):
            bare_word = BARE_PREFIX.fullmatch(glued.group(1).strip() + " ")
            title = f"{glued.group(1).strip()} {code}" if bare_word else glued.group(1)
        out.append([title, code])
    items = []
    for title, code in split_glued_titles(out):
        title = re.sub(r"(\d/[A-ZĐ][A-ZĐ0-9-]*[A-ZĐ0-9])(ngày)", r"\1 \2", clean(title)).strip(" ;,:-")
        item = {"title": title or code}
        if code:
            item["code"] = code
        items.append(item)
    return items


GLUED_TITLE = re.compile(r"(?<=[a-zà-ỹ0-9)])(?=(?:Luật|Nghị định|Thông tư|Nghị quyết|Quyết định|Bộ luật|Pháp lệnh)"
                         r"\s+(?:số\s+)?\d)")


def split_glued_titles(pairs: list[list]) -> list[list]:
    """'Luật số 58/2024/QH15 …: Luật Đầu tư côngLuật số 58Luật số 43/2024/QH15 ngày …' + 43/2024/QH15: a title
    glued to the next ones. Each piece naming a full code of its own becomes a document; a piece that only
    repeats a cut-off number of the previous one ('Luật số 58') is dropped; the last keeps the pair's code."""
    out: list[list] = []
    for title, code in pairs:
        pieces = GLUED_TITLE.split(title)
        for piece in pieces[:-1]:
            own = CODE.search(piece)
            if own and own.group(0) != code:
                out.append([piece, own.group(0)])
            elif not own and out and re.search(r"\d+$", piece) and piece.split()[-1] in out[-1][1]:
                continue  # a cut-off code column repeating the previous document's number
            else:
                out.append([piece, None])
        out.append([pieces[-1], code])
    return out


def parse_results(text: str) -> tuple[list[dict], list[str]]:
    """'<name>Mã: KQ.G15.000031...' then page boilerplate from 'Từ khóa' on (dropped)."""
    text = (text or "").strip()
    cut = text.find(BOILERPLATE)
    body = (text[:cut] if cut >= 0 else text).strip()
    if not body or body == EMPTY:
        return [], []
    results, pos = [], 0
    for m in RESULT_CODE.finditer(body):
        name = clean(body[pos:m.start()]).lstrip("-+ ").strip()
        if name:
            results.append({"name": name, "code": m.group(1)})
        pos = m.end()
    tail = clean(body[pos:]).lstrip("-+ ").strip()
    if tail:
        results.append({"name": tail})
    return results, []
