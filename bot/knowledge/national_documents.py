"""Parse the portal's flattened documents table (`thanh_phan_ho_so`); pure functions.

The text is a series of tables, each "<section title>Tên giấy tờMẫu đơn, tờ khaiSố lượng" followed by
rows "<paper name><form file?><count>", the count being e.g. "1 bản chính" or "0 bản chính,1 bản sao".
Rows counted only "0 bản chính" are usually notes about the papers, unless the row names a paper
("Tài liệu chứng minh …", "Tờ khai hải quan: 02 bản."): that stays a paper, without a count.
"""
from __future__ import annotations

import re

from bot.knowledge.national_methods import EMPTY, clean

HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
COUNT = re.compile(r"(\d) bản chính(?:,\s*(\d) bản sao)?|(\d) bản sao")
FILE_END = re.compile(r"\.(docx?|xlsx?|pdf|rtf|odt|zip|rar)\s*$", re.I)
FILE_GLUED = re.compile(r"\.(docx?|xlsx?|pdf|rtf|odt|zip|rar)(?=\S)", re.I)
FORM_WORD = re.compile(r"(?<=\S)(?<![(\s])(Mẫu|Mau|mẫu|mau|MẪU|Phụ lục|PHỤ LỤC|Phu luc)(?=[\s\dA-Z_.-])")
GLUED_AFTER = re.compile(r"(theo mẫu|quy định)(?=[^\s,.;:)])")  # '...theo mẫuvăn bản đề nghị.docx'
REPEATED = re.compile(r"(?<=\s)([A-ZĐ]{2,})(?=\1)")
BULLET = re.compile(r"^(?:[-+•\uf0fc\uf0d8\uf0b7]\s*)+")
GENERIC_TITLE = re.compile(r"([a-zđ0-9]{1,3}[.)]\s*)?((thành phần )?hồ sơ( [^,.;()]{0,40})? (bao )?gồm|"
                           r"thành phần hồ sơ|giấy tờ phải nộp|số lượng hồ sơ[^.]{0,40})", re.I)
ROW_TITLE = re.compile(r"\s*\*\s*(lưu ý|giấy tờ phải xuất trình|giấy tờ phải nộp)\s*:?\s*", re.I)
PAPER_START = re.compile(r"(Giấy|Bản|Đơn|Tờ khai|Văn bản|Hợp đồng|Chứng từ|Chứng cứ|Chứng chỉ|Chứng nhận|Phiếu|Danh mục|"
                         r"Danh sách|Tài liệu|Quyết định|Sổ|Ảnh|Hộ chiếu|Thẻ|Báo cáo|Biên bản|Bảng kê|Bảng)\b")
NOTE_WORDS = re.compile(r"\bphải (bảo đảm|đảm bảo|được)|\bthì\b|\bkhông phải\b", re.I)
ROW_SECTIONS = {"lưu ý": "luu_y", "giấy tờ phải xuất trình": "xuat_trinh", "giấy tờ phải nộp": "nop"}


def parse_documents(text: str) -> tuple[list[dict], list[str], list[str]]:
    """(documents, document_notes, warnings) from the whole field."""
    text = (text or "").strip()
    if not text or text == EMPTY:
        return [], [], []
    documents, notes, warnings = [], [], []
    section, when, pos = "nop", None, 0
    for marker in markers(text):
        segment = text[pos:marker.start()]
        pos = marker.end()
        if marker.group(0) == HEADER:
            section, when, note = section_of(segment)
            notes += [note] if note else []
            continue
        if title := ROW_TITLE.match(segment):  # '*Lưu ý: - ...0 bản chính' inside a table
            section, when, segment = ROW_SECTIONS[title.group(1).lower()], None, segment[title.end():]
        row = parse_row(segment, marker, section, when)
        if row is None:
            warnings.append(f"documents: row without a name before {marker.group(0)!r}")
        elif "count" not in row and "form" not in row and not is_paper(row["name"]):
            notes.append(row["name"])
        else:
            documents.append(row)
    tail = clean(text[pos:])
    if pos == 0:
        warnings.append("documents: no table (no header, no counts)")
    elif any(ch.isalnum() for ch in tail):
        warnings.append(f"documents: text after the last row: {tail[:60]!r}")
        notes.append(tail)
    return documents, notes, warnings


def is_paper(name: str) -> bool:
    """A row counted '0 bản chính' that names a paper, not a rule about papers."""
    return bool(PAPER_START.match(name)) and not NOTE_WORDS.search(name) and not name.rstrip().endswith(":")


def markers(text: str) -> list[re.Match]:
    """Table headers and row counts, in order; a count is only a row end when nothing is glued after
    it except the next row (in-text counts such as '01 bản chính và ...' are followed by a space)."""
    found = [m for m in re.finditer(re.escape(HEADER), text)]
    for m in COUNT.finditer(text):
        after = text[m.end():m.end() + 1]
        if not after or not (after.isspace() or after in ";.),:") or not text[m.end():].strip():
            found.append(m)
    found.sort(key=lambda m: m.start())
    # a count glued to the next count ('nộp 01 bản sao0 bản chính,1 bản sao') is text inside a row
    return [m for m, nxt in zip(found, found[1:] + [None]) if not (nxt and nxt.start() == m.end() and COUNT.match(nxt.group(0)))]


def count_text(m: re.Match) -> str | None:
    """'0 bản chính,1 bản sao' -> '1 bản sao'; '0 bản chính' -> None (a note, not a paper)."""
    original, copies = (int(m.group(1)), int(m.group(2) or 0)) if m.group(1) else (0, int(m.group(3)))
    parts = [f"{n} {what}" for n, what in ((original, "bản chính"), (copies, "bản sao")) if n]
    return ", ".join(parts) or None


def section_of(title: str) -> tuple[str, str | None, str | None]:
    """(section, when, note) for a table title such as '* Giấy tờ phải xuất trình:'."""
    t = clean(title).strip(" -*")
    low = t.lower()
    if not t or GENERIC_TITLE.fullmatch(t.rstrip(" :").strip()):
        return "nop", None, None
    if low.startswith("lưu ý") or low.startswith("* lưu ý"):
        note = re.sub(r"^\*?\s*lưu ý\s*:?\s*", "", t, flags=re.I).strip()
        return "luu_y", None, note or None
    if "xuất trình" in low and len(t) < 80:
        return "xuat_trinh", None, None
    return "nop", t.rstrip(":").strip() or None, None


def parse_row(segment: str, count: re.Match, section: str, when: str | None) -> dict | None:
    text = BULLET.sub("", clean(segment)).strip()
    text, forms = split_forms(text)
    name = BULLET.sub("", text).strip(" ;,")
    if not name and forms:
        name = forms[0]
    if not name:
        return None
    row = {"name": name, "section": section}
    counted = count_text(count)
    if counted:
        row["count"] = counted
    if forms:
        row["form"] = "; ".join(forms)
    if when:
        row["when"] = when
    return row


def split_forms(text: str) -> tuple[str, list[str]]:
    """Peel the form file names ('Mau01.docx', '1.MuCT01banhnhkmtheoThngts53.doc') off the row's end."""
    forms: list[str] = []
    while FILE_END.search(text):
        start = form_start(text)
        if start is None:
            break
        forms.insert(0, text[start:].strip(" ;.,"))
        text = text[:start].rstrip()
    return text, forms


def form_start(text: str) -> int | None:
    """Where the last file name starts: after a delimiter, a glued previous file, or a glued word."""
    ext = FILE_END.search(text).start()
    best = None
    for b in boundaries(text[:ext]):
        stem = text[b:ext]
        if any(ch.isalnum() for ch in stem) and len(stem) <= 100:
            best = b if best is None or b > best else best
    return best


def boundaries(text: str):
    """Positions where a file name may start inside `text` (the row without the extension)."""
    for m in FILE_GLUED.finditer(text):
        yield m.end()
    for m in FORM_WORD.finditer(text):
        yield m.start()
    for m in GLUED_AFTER.finditer(text):
        yield m.end()
    for m in REPEATED.finditer(text):  # 'theo Hiệp định GMSGMS - Gia hạn.docx': the file repeats the last word
        yield m.end(1)
    for i, ch in enumerate(text[1:], 1):
        prev, nxt = text[i - 1], text[i + 1:i + 2]
        if prev in ";:)”\"":
            yield i
        elif prev == "." and glued_after_dot(text, i):
            yield i
        elif prev == "." and ch == " " and text[i + 1:i + 2].isupper() and text[i - 2:i - 1].islower():
            yield i + 1
        elif (ch.isupper() or ch.isdigit()) and prev.islower() and glued_to_word(text[:i], ch):
            yield i
        elif ch.isupper() and (prev.isupper() or prev.isdigit()) and nxt.islower() and "/" in text[:i].split(" ")[-1]:
            yield i


def glued_to_word(before: str, ch: str) -> bool:
    """'khu rừngMẫu số 04', 'CampuchiaVN-CAM', 'quy định1.4. Don...': a spaced word glued to the file."""
    word = before.split(" ")[-1]
    if " " not in before or not word.isalpha():
        return False
    return not ch.isdigit() or any(ord(c) > 127 for c in word)


def glued_after_dot(text: str, i: int) -> bool:
    """'...tin.giấy đề nghị', '...BCA).1.MuCT01', '...BNNMT.Mẫu số 22a', '...CP..Mẫu số 13'."""
    before, ch = text[i - 2] if i >= 2 else "", text[i]
    if ch.isspace():
        return False
    return before.islower() or before in ").\"”" or (before.isupper() and ch.isupper())
