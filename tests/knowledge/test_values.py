"""The one parser (bot/knowledge/values.py): common staff spellings understood, everything else refused with the accepted form."""
import datetime as dt

import pytest

from bot.knowledge.values import (BadValue, parse_count, parse_date, parse_days, parse_fee, parse_id, parse_time,
                                  parse_url, span_problem)


@pytest.mark.parametrize("text", ["07:30", "7:30", "7h30", "7H30", "07.30", "7 giờ 30", "7g30", " 7:30 "])
def test_times_staff_write_mean_07_30(text):
    assert parse_time(text) == "07:30"


def test_a_toml_time_and_whole_hours():
    assert parse_time(dt.time(13, 30)) == "13:30" and parse_time("17h") == "17:00"


@pytest.mark.parametrize("text", ["25:00", "7:75", "7 rưỡi", "sáng", "", 730, None, "7:30 sáng"])
def test_other_times_are_refused_showing_the_accepted_form(text):
    with pytest.raises(BadValue, match='07:30'):
        parse_time(text)


@pytest.mark.parametrize("value, days", [
    (["1", "2", "3", "4", "5"], ["1", "2", "3", "4", "5"]), ("Thứ 7", ["6"]), ("T7", ["6"]), ("CN", ["7"]),
    (["Chủ nhật"], ["7"]), ("thứ 2 - thứ 6", ["1", "2", "3", "4", "5"]), (["T2", "T4"], ["1", "3"]),
    ("thứ hai – thứ sáu", ["1", "2", "3", "4", "5"]), ("thu 7", ["6"]), ("1-5", ["1", "2", "3", "4", "5"]),
    ("T2, T4 và T6", ["1", "3", "5"]), ([6, 6, 1], ["1", "6"]),
])
def test_days_staff_write(value, days):
    assert parse_days(value) == days


@pytest.mark.parametrize("value", [["8"], ["0"], "thứ 8", "T6-T2", [], ["cả tuần"], [True], "hàng ngày"])
def test_other_days_are_refused_showing_the_accepted_form(value):
    with pytest.raises(BadValue, match=r'"1" = Monday'):
        parse_days(value)


def test_fees():
    assert parse_fee(50000) == 50000 and parse_fee("50.000") == 50000 and parse_fee("50.000 đồng") == 50000
    assert parse_fee("8.000đ") == 8000 and parse_fee("miễn phí") == 0 and parse_fee(0) == 0
    for bad in (-1, True, "năm mươi nghìn", "50.00", 10**10, None, 1.5):
        with pytest.raises(BadValue, match="50000"):
            parse_fee(bad)


def test_counts_of_days_are_sensible():
    assert parse_count(15) == 15 and parse_count("15") == 15 and parse_count(0.5) == 0.5
    for bad in (-1, 9999, "mười lăm", True):
        with pytest.raises(BadValue, match="15"):
            parse_count(bad)


def test_dates_are_not_in_the_future():
    today = dt.date(2026, 11, 30)
    assert parse_date(dt.date(2026, 11, 27), today) == dt.date(2026, 11, 27)
    assert parse_date("27/11/2026", today) == "2026-11-27" and parse_date("2026-11-27", today) == "2026-11-27"
    assert parse_date(dt.date(2026, 12, 1), today)  # tomorrow: another time zone's today
    with pytest.raises(BadValue, match="2036-11-27 is in the future"):
        parse_date(dt.date(2036, 11, 27), today)
    with pytest.raises(BadValue, match="2026-11-27"):
        parse_date("hôm qua", today)


def test_links_and_ids():
    assert parse_url("https://dichvucong.gov.vn/x?ma={code}") == "https://dichvucong.gov.vn/x?ma={code}"
    for bad in ("dichvucong.gov.vn", "javascript:alert(1)", "https://x y.vn", "https://localhost"):
        with pytest.raises(BadValue, match="https://"):
            parse_url(bad)
    assert parse_id("ttpvhcc-kinh-bac") == "ttpvhcc-kinh-bac"
    with pytest.raises(BadValue, match="ttpvhcc-kinh-bac"):
        parse_id("TTPVHCC Kinh Bắc")


def test_closing_must_follow_opening():
    assert span_problem({"open": "07:30", "close": "11:30"}) is None
    assert "closing time 11:30 is not after opening time 13:30" in span_problem({"open": "13:30", "close": "11:30"})
    assert span_problem({"open": "07:30", "close": "07:30"})


def test_rendering_reads_values_with_the_same_parser():
    from bot.answering.i18n import translator

    t = translator("vi")
    assert t.time("7h30") == "07:30" and t.weekdays("thứ 2 - thứ 6") == "Thứ hai – Thứ sáu"
    assert t.money("50.000") == t.money(50000)
    with pytest.raises(BadValue):
        t.time("7 rưỡi")
