"""A small, valid knowledge folder written into a temporary directory, for tests that break it on purpose."""
import json
from pathlib import Path

NATIONAL = {"code": "1.000001", "name": "Thủ tục đăng ký khai sinh", "field": "Hộ tịch", "level": ["Cấp xã"],
            "checked": "2026-11-27", "source": "https://dichvucong.gov.vn/p/1",
            "legal_basis": [{"code": "60/2014/QH13", "title": "Luật Hộ tịch"}],
            "methods": [{"kind": "online", "time": "1 ngày", "fee": 0}],
            "documents": [{"name": "Giấy chứng sinh", "count": "1 bản chính", "section": "nop"}]}
CURATED = '''name = "Đăng ký khai sinh"
portal_codes = ["1.000001"]
field = "Hộ tịch"
summary = "Khai sinh cho trẻ."
aliases = ["làm giấy khai sinh", "gks"]
source = "https://dichvucong.gov.vn/p/1"
checked = 2026-11-27

[[documents]]
name = "Tờ khai"
count = "1 bản chính"

[[documents]]
name = "Giấy chứng sinh"
count = "1 bản chính"

[[methods]]
kind = "in_person"
time = "Trong ngày"
fee = 0

[where]
level = "xa"
offices = ["ttpvhcc-a"]

[[legal_basis]]
code = "60/2014/QH13"
title = "Luật Hộ tịch"
'''
OFFICES = '''[[office]]
id = "ttpvhcc-a"
name = "Trung tâm A"
kind = "commune_centre"
address = "1 Đường A"
checked = 2026-11-27

[[office.hours]]
days = ["1", "2", "3", "4", "5"]
open = "07:30"
close = "11:30"
'''
PROVINCE = '''name = "Bắc Ninh"
hotline = "1800 0000"
national_portal = "https://dichvucong.gov.vn"
provincial_portal = "https://dichvucong.bacninh.gov.vn"
checked = 2026-11-27

[[status_lookup]]
name = "Cổng quốc gia"
url = "https://dichvucong.gov.vn/tra-cuu?ma={code}"
what_you_see = "Tình trạng hồ sơ."

[[units]]
name = "phường A"
office = "ttpvhcc-a"
'''
FAQ = '''[[faq]]
id = "vneid"
question = "Tài khoản VNeID mức 2 là gì?"
aliases = ["vneid mức 2"]
answer = ["Là tài khoản định danh điện tử."]
source = "https://vneid.gov.vn"
checked = 2026-11-27
'''
LEXICON = '''stopwords = ["cho tôi hỏi"]

[abbreviations]
gks = "giấy khai sinh"

[synonyms]
"giấy khai sinh" = "khai sinh"

[intents]
status = ["tra cứu hồ sơ"]

[aspects]
fee = ["phí"]
'''


def make_tree(root: Path) -> Path:
    """Write the valid tree under root and return root."""
    (root / "national").mkdir(parents=True)
    (root / "local" / "ho-tich").mkdir(parents=True)
    (root / "national" / "1.000001.json").write_text(json.dumps(NATIONAL, ensure_ascii=False, indent=1), encoding="utf-8")
    (root / "local" / "ho-tich" / "khai-sinh.toml").write_text(CURATED, encoding="utf-8")
    for name, text in {"offices.toml": OFFICES, "province.toml": PROVINCE, "faq.toml": FAQ, "lexicon.toml": LEXICON}.items():
        (root / "local" / name).write_text(text, encoding="utf-8")
    return root


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
