"""Parse one raw record of the national procedure export into the procedure schema (`bot.schema`).

Pure functions: `parse_record(raw, checked)` returns a dict with the keys of `PROCEDURE` (national
subset). Raw fields that are not fully understood give `parse_warnings` and their raw text goes to
`unparsed`; a record is never dropped. "Không có thông tin" (no information) means empty: the key
is left out (except `legal_basis`, which the schema requires: an empty list then).
The flattened tables are parsed in `national_methods`, `national_documents` and `national_legal`.
"""
from __future__ import annotations

import re

from bot.knowledge.national_documents import parse_documents
from bot.knowledge.national_legal import parse_legal, parse_results
from bot.knowledge.national_methods import EMPTY, clean, parse_methods

AGENCY_FIELDS = {
    "competent": "co_quan_co_tham_quyen",
    "performing": "co_quan_thuc_hien",
    "address": "dia_chi_tiep_nhan",
    "authorized": "co_quan_duoc_uy_quyen",
    "coordinating": "co_quan_phoi_hop",
}
SIMPLE_FIELDS = {"code": "ma_thu_tuc", "field": "linh_vuc", "who": "doi_tuong_thuc_hien",
                 "decision": "so_quyet_dinh", "source": "detail_url"}
STEP_START = re.compile(r"\s+(?=Bước \d+\s*[:.])")
BULLET = re.compile(r"^[-•]\s+")


def text_of(raw: dict, field: str) -> str:
    """The field's text with whitespace collapsed; '' for missing or 'Không có thông tin'."""
    value = " ".join(str(raw.get(field) or "").split())
    return "" if value == EMPTY else value


def parse_lines(text: str) -> list[str]:
    """Steps or conditions: one item per line (and per 'Bước N:' when several share a line)."""
    text = (text or "").strip()
    if not text or text == EMPTY:
        return []
    items = []
    for line in text.splitlines():
        items += [BULLET.sub("", " ".join(part.split())) for part in STEP_START.split(line)]
    return [item for item in items if item and item != EMPTY]


def parse_level(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip() and part.strip() != EMPTY]


def parse_agencies(raw: dict) -> dict[str, str]:
    return {key: text_of(raw, field) for key, field in AGENCY_FIELDS.items() if text_of(raw, field)}


def parse_record(raw: dict, checked: str) -> dict:
    """One portal record -> one national procedure dict (see module doc)."""
    out: dict = {"name": text_of(raw, "ten_thu_tuc") or text_of(raw, "ma_thu_tuc"), "checked": checked}
    out.update({key: text_of(raw, field) for key, field in SIMPLE_FIELDS.items() if text_of(raw, field)})
    warnings: list[str] = []
    unparsed: dict[str, str] = {}

    def note(field: str, found: list[str]) -> None:
        if found:
            warnings.extend(found)
            unparsed[field] = raw.get(field, "")

    methods, found = parse_methods(raw.get("cach_thuc_thuc_hien", ""))
    note("cach_thuc_thuc_hien", found)
    documents, document_notes, found = parse_documents(raw.get("thanh_phan_ho_so", ""))
    note("thanh_phan_ho_so", found)
    legal, found = parse_legal(raw.get("can_cu_phap_ly", ""))
    note("can_cu_phap_ly", found)
    results, found = parse_results(raw.get("ket_qua_xu_ly", ""))
    note("ket_qua_xu_ly", found)
    optional = {
        "level": parse_level(raw.get("cap_thuc_hien", "")),
        "methods": methods,
        "documents": documents,
        "document_notes": document_notes,
        "results": results,
        "agencies": parse_agencies(raw),
        "steps": parse_lines(raw.get("trinh_tu_thuc_hien", "")),
        "conditions": parse_lines(raw.get("yeu_cau_dieu_kien", "")),
        "parse_warnings": warnings,
        "unparsed": unparsed,
    }
    out.update({key: value for key, value in optional.items() if value})
    out["legal_basis"] = legal  # required by the schema, even when the portal has none
    return out


__all__ = ["parse_record", "parse_lines", "parse_level", "parse_agencies", "text_of", "clean",
           "parse_methods", "parse_documents", "parse_legal", "parse_results"]
