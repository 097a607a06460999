"""The short part is short, and saying a thing once loses nothing.

Every curated card's short part fits one Telegram message as the handler sends it (the keyboard carries the
buttons' links); the median is well under what it was (2,643 characters before the short part was compacted).
Merged fee and time lines still give each way of filing its own time and fee, said once; a paper's long case and
the summary's later sentences move to "Chi tiết", the paper (name and count) stays.
"""
import re
import statistics

from bot.answering.cards import fee_line, procedure_card
from bot.answering.compact import WHEN_INLINE, split_summary
from bot.answering.details import mark
from bot.answering.i18n import translator
from bot.answering.render import TELEGRAM_LIMIT, split_message, to_telegram_html, url_buttons
from bot.knowledge.review import pending

t = translator("vi")
LABEL = {"in_person": "trực tiếp", "online": "trực tuyến", "post": "qua bưu chính"}
SPLIT_LINE = re.compile(r"(Thời gian|Phí)(?: \((.+?)\))?: (.*)")
TAIL_LINE = {"time": "Các thời hạn trên", "fee": "Các mức phí trên"}


def sent_html(assistant, pid: str) -> str:
    card = assistant.procedure(pid, {})
    return to_telegram_html(card, shown=url_buttons(card))


def test_every_curated_card_fits_one_telegram_message(assistant, knowledge):
    sizes = {p.id: len(sent_html(assistant, p.id)) for p in knowledge.procedures.values() if p.curated}
    longest = max(sizes, key=sizes.get)
    assert sizes[longest] <= TELEGRAM_LIMIT, (longest, sizes[longest])
    assert len(split_message(sent_html(assistant, longest))) == 1
    assert statistics.median(sizes.values()) <= 2200, statistics.median(sizes.values())


def said(lines: list[str], kind: str, what: str) -> list[str]:
    """Every time (or fee) the short part's lines give the way of filing `kind`, whichever layout they use."""
    tail = next((line[len(TAIL_LINE[what]):] for line in lines if line.startswith(TAIL_LINE[what])), "")
    out = []
    for line in lines:
        split = SPLIT_LINE.fullmatch(line)
        if split:  # "Thời gian (trực tiếp, trực tuyến): …", "Phí: …" (no names: every way)
            names = split[2].split(", ") if split[2] else list(LABEL.values())
            if (split[1] == "Thời gian") == (what == "time") and LABEL[kind] in names:
                out.append(split[3] + tail)
            continue
        head, _, rest = line.partition(": ")  # "Trực tiếp, trực tuyến: … · phí: …"
        if " · phí: " in rest and LABEL[kind] in head.lower().split(", "):
            time, fee = rest.split(" · phí: ", 1)
            out.append(time if what == "time" else fee)
    return out


def test_merged_lines_still_give_each_way_of_filing_its_time_and_fee(knowledge):
    merged = several = 0
    for proc in knowledge.procedures.values():
        doubts, methods = pending(proc.data), proc.data.get("methods", [])
        lines = procedure_card(knowledge, proc, t).section("fee_time").lines
        kinds = [m["kind"] for m in methods]
        for m in methods:
            time = mark(m.get("time") or t("time not stated"), "time", doubts, t)
            fee = mark(fee_line(m, t), "fee", doubts, t)
            for what, value in (("time", time), ("fee", fee)):
                found = said(lines, m["kind"], what)
                assert value in found, (proc.id, m["kind"], what, value, lines)
                if kinds.count(m["kind"]) == 1:
                    assert len(found) == 1, (proc.id, m["kind"], what, lines)  # said once for it
        several += len(methods) > 1
        merged += len(methods) > len([line for line in lines if not line.startswith("Miễn phí cho")])
    assert merged > several / 2  # most procedures with several ways of filing say a shared time or fee once


def test_a_shared_fee_is_one_line_naming_the_ways(knowledge):
    lines = procedure_card(knowledge, knowledge.find("ho-tich/khai-sinh"), t).section("fee_time").lines
    assert lines[0] == "Phí: Miễn phí"
    assert lines[1].startswith("Thời gian (trực tiếp, trực tuyến): Trong ngày làm việc")
    assert lines[2] == "Thời gian (qua bưu chính): Trong ngày làm việc kể từ khi nhận đủ hồ sơ"
    same = procedure_card(knowledge, knowledge.find("kinh-doanh/cham-dut-ho-kinh-doanh"), t).section("fee_time").lines
    assert len(same) == 1 and same[0].startswith("Trực tiếp, trực tuyến, qua bưu chính: 05 ngày làm việc kể từ ngày")
    assert " · phí: Cổng quốc gia ghi miễn phí" in same[0]


def test_a_long_shared_ending_is_said_once_and_in_full_in_the_details(knowledge):
    proc = knowledge.find("dat-dai/cap-giay-chung-nhan-lan-dau")
    card = procedure_card(knowledge, proc, t)
    lines = card.section("fee_time").lines
    assert lines.count("Thời gian (trực tiếp): 27 ngày làm việc") == 1
    assert sum(line.startswith("Các thời hạn trên (theo Cổng Dịch vụ công quốc gia), không kể") for line in lines) == 1
    notes = next(s for s in card.details if s.key == "fee_notes").lines
    for m in proc.data["methods"]:
        assert any(m["time"] in line for line in notes), m["kind"]  # as written, for whoever opens "Chi tiết"


def test_a_long_case_goes_to_the_details_and_the_paper_stays(knowledge):
    for pid in ("dat-dai/cap-giay-chung-nhan-lan-dau", "cu-tru/thuong-tru", "ho-tich/khai-sinh"):
        proc = knowledge.find(pid)
        card = procedure_card(knowledge, proc, t)
        papers, cases = card.section("documents").lines, {s.key: s for s in card.details}.get("cases")
        for doc in proc.data["documents"]:
            if doc.get("section") == "luu_y":
                continue
            line = next(x for x in papers if x.startswith(f"☐ {doc['name']} — {doc['count']}"))
            if len(doc.get("when") or "") > WHEN_INLINE:
                assert doc["when"] not in line and any(doc["when"] in x and doc["name"] in x for x in cases.lines)
            elif doc.get("when"):
                assert line.endswith(f"({doc['when']})")
        heading = next((n for n, x in enumerate(papers) if x.startswith("Tùy trường hợp")), len(papers))
        conditional = [d["name"] for d in proc.data["documents"] if d.get("when")]
        assert all(any(x.startswith(f"☐ {name}") for x in papers[heading:]) for name in conditional)


def test_the_intro_is_the_summarys_first_sentences_and_the_rest_opens_the_details(knowledge):
    for proc in knowledge.procedures.values():
        summary = proc.data.get("summary", "").strip()
        if not proc.curated or not summary:
            continue
        card = procedure_card(knowledge, proc, t)
        rest = next((s.lines[0] for s in card.details if s.key == "summary"), "")
        assert " ".join(x for x in (card.intro, rest) if x) == " ".join(summary.split(" ")), proc.id
        assert summary.startswith(card.intro) and card.intro[-1] in ".!?…", proc.id  # whole sentences


def test_telegram_says_a_link_once_when_the_keyboard_has_it(assistant):
    card = assistant.procedure("ho-tich/khai-sinh", {})
    url = next(b.url for b in card.buttons if b.url)
    assert url in to_telegram_html(card)  # no keyboard (a desk copy, a terminal): the link stays in the text
    assert url not in to_telegram_html(card, shown=url_buttons(card))
    assert "dvc-tra-cuu-ho-so" in to_telegram_html(card, shown=url_buttons(card))  # links no button has stay


def test_the_summary_is_cut_only_between_sentences():
    assert split_summary("Một câu. Hai câu.", 10) == ("Một câu.", "Hai câu.")
    assert split_summary("Một câu. Hai câu.", 100) == ("Một câu. Hai câu.", "")  # it all fits
    assert split_summary("Câu đầu dài hơn giới hạn. Câu sau.", 5) == ("Câu đầu dài hơn giới hạn.", "Câu sau.")
    assert split_summary("Giấy tờ v.v. và khác. Sau đó.", 15) == ("Giấy tờ v.v. và khác.", "Sau đó.")
    assert split_summary("Một. Hai. Ba bốn năm sáu.", 10) == ("Một. Hai.", "Ba bốn năm sáu.")
    assert split_summary("Không có dấu chấm", 5) == ("Không có dấu chấm", "")
