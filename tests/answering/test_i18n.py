"""User-facing text: every message the code uses has a Vietnamese translation; babel formats money and dates."""
import datetime as dt

import pytest
from babel.messages.extract import extract_from_dir

from bot.answering.i18n import catalog, translator

from conftest import ROOT


def used_messages() -> set[str]:
    return {m[2] for m in extract_from_dir(ROOT / "bot", method_map=[("**.py", "python")], keywords={"t": None})}


def test_every_message_in_the_code_is_translated_to_vietnamese():
    missing = used_messages() - set(catalog("vi"))
    assert not missing, f"add these to bot/answering/locale/vi/LC_MESSAGES/messages.po: {sorted(missing)}"


def test_vietnamese_is_the_default_and_values_are_filled_in():
    t = translator()
    assert t("Documents to bring") == "Giấy tờ cần chuẩn bị"
    assert t("Hotline: {hotline}", hotline="1800 1096") == "Đường dây nóng: 1800 1096"


def test_money_dates_times_weekdays_in_vietnamese():
    t = translator("vi")
    assert t.money(50000) == "50.000\xa0₫"
    assert t.date(dt.date(2026, 11, 27)) == "27 tháng 11, 2026" == t.date("2026-11-27")
    assert t.time("7:30") == "07:30"
    assert t.weekdays(["1", "2", "3", "4", "5"]) == "Thứ hai – Thứ sáu"
    assert t.weekdays(["6", "1"]) == "Thứ hai, Thứ bảy"


def test_english_falls_back_to_the_source_text():
    t = translator("en")
    assert t("Documents to bring") == "Documents to bring"
    assert t.money(7000) == "₫7,000"



def test_remembered_formats_are_the_formats_and_tell_equal_values_apart():
    """Money, dates, times and weekdays are formatted once per value; what is remembered is what formatting gives,
    for values that compare equal but are not the same (1, 1.0, True; a list, a tuple), unhashable ones (formatted
    each time) and wrong ones (the same error, every time)."""
    from bot.answering.i18n import Translator

    for language in ("vi", "en"):
        fresh, t = Translator(language), Translator(language)
        cases = [(t.money, fresh._money, [50000, "50.000 đồng", 0, 1, 1.0, True, 50000, {"fee": 1}, "abc", "abc"]),
                 (t.time, fresh._time, ["7h30", "07:30", dt.time(13, 5), "7h30", "25:00", "25:00", ["7h"]]),
                 (t.date, fresh._date, ["2025-07-01", dt.date(2025, 7, 1), "2025-07-01", "hôm qua"]),
                 (t.weekdays, fresh._weekdays, [["1", "2", "3", "4", "5"], ("1", "2"), ["1", "2"], "T7", [1, 7],
                                                [True, 7], ["1", "2"], [["1"]], [{"1"}]])]
        for remembered, direct, values in cases:
            for value in values:
                try:
                    expected = direct(value)
                except Exception as exc:  # noqa: BLE001 (whatever formatting raises, remembering raises too)
                    with pytest.raises(type(exc)):
                        remembered(value)
                    continue
                assert remembered(value) == expected, (language, value)
        assert len(t.formatted) >= 10
