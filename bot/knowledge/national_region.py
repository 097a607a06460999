"""Which province a portal record belongs to: the national layer keeps only Bắc Ninh's and nationwide records.

A record published by a provincial decision (`so_quyet_dinh` "…/QĐ-UBND") is that province's own
procedure: it is kept only when it names Bắc Ninh. A nationwide record whose agency text was copied
from one province's page ("Sở Nông nghiệp và Môi trường - tỉnh An Giang") keeps the agency without
that province's name. Pure functions.
"""
from __future__ import annotations

import re

PROVINCE = "Bắc Ninh"
CAPITAL = "Hà Nội"  # ministries sit there: "Bộ Xây dựng, 37 Lê Đại Hành, Hà Nội" is a nationwide address
PROVINCIAL_DECISION = re.compile(r"QĐ-UBND", re.I)
NAMED = r"(?:tỉnh|Tỉnh|thành phố|Thành phố|TP\.?)\s+((?:[A-ZĐ][^\s,.;:()\-]*)(?:\s+[A-ZĐ][^\s,.;:()\-]*){0,2})"
PROVINCE_NAME = re.compile(NAMED)
SUFFIX = re.compile(r"\s*(?:-\s*)?" + NAMED + r"\s*$")
SCANNED = ("ten_thu_tuc", "dia_chi_tiep_nhan", "co_quan_thuc_hien", "co_quan_co_tham_quyen", "can_cu_phap_ly",
           "trinh_tu_thuc_hien")


def provinces_named(raw: dict) -> list[str]:
    """Province names the record mentions (in its name, address, agencies, legal basis, steps)."""
    text = " ".join(str(raw.get(k) or "") for k in SCANNED)
    found = [" ".join(m.split()) for m in PROVINCE_NAME.findall(text)]
    return sorted(set(found))


def other_province(raw: dict) -> str | None:
    """Why the record is another province's own (for the import report), or None when it may apply here."""
    decision = str(raw.get("so_quyet_dinh") or "")
    if not PROVINCIAL_DECISION.search(decision):
        return None
    named = provinces_named(raw)
    if PROVINCE in named or PROVINCE in " ".join(str(raw.get(k) or "") for k in SCANNED):
        return None
    others = [n for n in named if n != PROVINCE]
    where = f"tỉnh {', '.join(others)}" if others else "một tỉnh khác (không nêu Bắc Ninh)"
    return f"quyết định công bố của UBND tỉnh ({decision}): thủ tục riêng của {where}"


def without_other_province(agencies: dict[str, str]) -> tuple[dict[str, str], bool]:
    """Agencies with another province's name taken off their end ("… - tỉnh An Giang"); True if any was."""
    out, changed = {}, False
    for key, value in agencies.items():
        m = SUFFIX.search(value)
        if m and m.group(1) not in (PROVINCE, CAPITAL):
            value, changed = value[:m.start()].rstrip(" -"), True
        out[key] = value
    return out, changed
