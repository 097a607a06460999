"""Parse the portal's flattened submission-methods table (`cach_thuc_thuc_hien`); pure functions.

The table arrives as "Hình thức nộpThời gianPhí, lệ phíMô tả" followed by rows glued together:
"<method><time><fee>(<note>)<description>", e.g. "Trực tuyến3 Ngày làm việc7,000 Việt Nam Đồng(...)...".
Each parser returns (value, warnings); a warning says what was not fully understood.
"""
from __future__ import annotations

import re

EMPTY = "Không có thông tin"
HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
KINDS = {"Trực tuyến": "online", "Trực tiếp": "in_person", "Dịch vụ bưu chính": "post"}
ROW_START = re.compile(r"(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)(?=\d|[^\W\d_])")
UNITS = {"Ngày làm việc": "ngày làm việc", "Ngày": "ngày", "Giờ": "giờ", "Tháng": "tháng", "Năm": "năm"}
TIME = re.compile(r"(\d+(?:[.,]\d+)?) ?(Ngày làm việc|Ngày|Giờ|Tháng|Năm)")
CURRENCY = r"(Việt Nam Đồng|VNĐ|USD)"
FEE = re.compile(r"(\d[\d,.]*) ?" + CURRENCY)
BARE_TIME = re.compile(r"(\d+)(?=Miễn phí|Không có thông tin)")
FEE_START = re.compile(r"Miễn phí|Không có thông tin|\d[\d,.]* ?" + CURRENCY)
WELL_FORMED = re.compile(r"(?:[1-9]\d{0,2}(?:([,.])\d{3})?(?:\1\d{3})*|0)")
NOTE_AMOUNT = re.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(triệu\s*)?(?:đồng|đ\b|vnđ|vnd)", re.I)
PROVINCE_SETS = re.compile(r"Hội đồng nhân dân|HĐND|Ủy ban nhân dân cấp tỉnh|UBND (cấp )?tỉnh", re.I)
FEE_CUE = re.compile(r"mức (thu|phí|lệ phí)|biểu (phí|mức)|phí(,| và)? lệ phí|pháp luật về (phí|giá)|giá dịch vụ|thu phí|nộp phí|"
                     r"quy định tại (Thông tư|Nghị định)|/TT-BTC|\bphí (thẩm định|kiểm|sát hạch|khai thác|cung cấp)",
                     re.I)
TRIVIAL_NOTE = re.compile(r"(không|không có|không quy định|không thu|không có thông tin)\W*", re.I)


def to_int(digits: str) -> int:
    return int(re.sub(r"[.,]", "", digits))


def vnd(amount: int) -> str:
    """50000 -> '50.000 đồng' (Vietnamese grouping)."""
    return f"{amount:,} đồng".replace(",", ".")


def parse_methods(text: str) -> tuple[list[dict], list[str]]:
    """All rows of the methods table, in portal order."""
    text = (text or "").strip()
    if not text or text == EMPTY:
        return [], []
    warnings = []
    body = text[len(HEADER):] if text.startswith(HEADER) else text
    if not text.startswith(HEADER):
        warnings.append("methods: table header missing")
    starts = [m for m in ROW_START.finditer(body) if body[m.end()].isdigit() or body[m.end()].isupper()]
    if not starts:
        return [], warnings + ["methods: no row starting with a method and a time"]
    if body[:starts[0].start()].strip():
        warnings.append(f"methods: text before the first row: {body[:starts[0].start()].strip()[:60]!r}")
    methods = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        method, row_warnings = parse_row(KINDS[m.group(1)], body[m.end():end])
        methods.append(method)
        warnings += row_warnings
    return methods, list(dict.fromkeys(warnings))


def parse_row(kind: str, rest: str) -> tuple[dict, list[str]]:
    """One row after its method name: time, fee, (note), description."""
    time, days, fee_raw, rest, warnings = split_time_fee(rest)
    paren, description = split_note(rest)
    method: dict = {"kind": kind}
    if time:
        method["time"] = time
    if days is not None:
        method["days"] = days
    fields = fee_fields(fee_raw, paren)
    method.update(fields)
    if "fee" not in fields and "trên cổng" in fields.get("fee_text", ""):
        warnings.append(f"methods: fee {fee_raw!r} is below 1.000 đồng; kept as text")
    note = "\n".join(p for p in (paren, description) if p and not TRIVIAL_NOTE.fullmatch(p))
    if note:
        method["note"] = note
    if fee_raw is None:
        warnings.append(f"methods: fee not understood in {rest[:50]!r}")
    return method, warnings


def split_time_fee(rest: str):
    """(time text, days, raw fee, remainder, warnings) from the start of a row."""
    warnings = []
    m = TIME.match(rest)
    if m:
        number, unit = m.group(1), UNITS[m.group(2)]
        value = float(number.replace(",", "."))
        days = (int(value) if value.is_integer() else value) if unit.startswith("ngày") else None
        time, rest = f"{number} {unit}", rest[m.end():]
    elif rest.startswith(EMPTY):
        time, days, rest = None, None, rest[len(EMPTY):]
    else:
        number, rest = split_bare_number(rest)
        if number is None:
            return text_time(rest)
        time, days = f"{number} (cổng không ghi đơn vị)", None
        warnings.append(f"methods: time {number!r} has no unit")
    fee_raw, rest = take_fee(rest)
    return time, days, fee_raw, rest, warnings


def text_time(rest: str):
    """A time given in words ('Không quy định', 'Không phải trả kết quả ...'), up to the fee column."""
    m = FEE_START.search(rest)
    if not m:
        return None, None, None, rest, ["methods: time and fee not understood"]
    time = clean(rest[:m.start()])
    time = None if time in ("", "Không") else time
    fee_raw, rest = take_fee(rest[m.start():])
    return time, None, fee_raw, rest, []


def split_bare_number(rest: str) -> tuple[str | None, str]:
    """A time without unit: '1Miễn phí...' -> '1'; '120 VNĐ' -> '1' (fee '20 VNĐ' stays in rest)."""
    m = BARE_TIME.match(rest)
    if m:
        return m.group(1), rest[m.end():]
    m = FEE.match(rest)
    if not m:
        return None, rest
    digits = m.group(1)
    for cut in range(1, len(digits)):
        if digits[:cut].isdigit() and WELL_FORMED.fullmatch(digits[cut:]):
            return digits[:cut], rest[cut:]
    return None, rest


def take_fee(rest: str) -> tuple[str | None, str]:
    for word in ("Miễn phí", EMPTY):
        if rest.startswith(word):
            return word, rest[len(word):]
    m = FEE.match(rest)
    if m:
        return m.group(0), rest[m.end():]
    return None, rest


def split_note(rest: str) -> tuple[str, str]:
    """'(note (nested))description' -> ('note (nested)', 'description')."""
    if not rest.startswith("("):
        return "", clean(rest)
    depth = 0
    for i, ch in enumerate(rest):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0:
            return clean(rest[1:i]), clean(rest[i + 1:])
    return clean(rest[1:]), ""


def clean(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip()).strip()


def fee_fields(fee_raw: str | None, note: str) -> dict:
    """fee (int VND) only when the table gives one clear amount; otherwise fee_text says what is known."""
    if fee_raw is None or fee_raw == EMPTY:
        return {}
    if fee_raw == "Miễn phí":
        return free_fee(note)
    m = FEE.match(fee_raw)
    amount, currency = to_int(m.group(1)), m.group(2)
    if currency == "USD":
        return {"fee_text": f"{amount} USD" + (" (có nhiều mức, xem ghi chú)" if note_amounts(note) else "")}
    others = note_amounts(note) - {amount}
    if amount < 1000:
        if others and len(others) == 1 and others == {amount * 1000}:
            return {"fee": amount * 1000, "fee_text": f"{vnd(amount * 1000)} (cổng ghi “{fee_raw}”)"}
        return {"fee_text": f"{fee_raw} (số trên cổng, có thể là nghìn đồng; xem ghi chú)"}
    if others:
        return {"fee_text": f"{vnd(amount)} (có nhiều mức, xem ghi chú)"}
    return {"fee": amount}


def free_fee(note: str) -> dict:
    """'Miễn phí' unless the note says a fee is set elsewhere or lists amounts."""
    if PROVINCE_SETS.search(note):
        who = "HĐND tỉnh" if re.search(r"Hội đồng nhân dân|HĐND", note) else "UBND tỉnh"
        return {"fee_text": f"Mức phí, lệ phí do {who} quy định (cổng ghi “Miễn phí”; xem ghi chú)"}
    if re.match(r"\W*(miễn|không thu)", note, re.I) and not note_amounts(note):
        return {"fee": 0}
    if note_amounts(note) or FEE_CUE.search(note):
        return {"fee_text": "Theo quy định về phí, lệ phí (cổng ghi “Miễn phí”; xem ghi chú)"}
    return {"fee": 0}


def note_amounts(note: str) -> set[int]:
    found = set()
    for m in NOTE_AMOUNT.finditer(note or ""):
        value = to_int(m.group(1)) * (1_000_000 if m.group(2) else 1)
        if value >= 100:
            found.add(value)
    return found
