"""Answers other than procedure cards."""
from bot.answering.i18n import translator
from bot.answering.replies import browse, clarify, status, valid_dossier_code

t = translator("vi")


def test_dossier_codes_are_validated():
    assert valid_dossier_code("000.00.23.H10-250703-0005") and valid_dossier_code("H57.132-260804-0583")
    assert not valid_dossier_code("12345") and not valid_dossier_code("H57.132-2608-0583")


def test_status_fills_the_code_into_lookup_links_and_says_what_the_citizen_sees(knowledge):
    answer = status(knowledge, ["H57.132-260804-0583"], t)
    assert answer.sections[0].lines[0] == "Mã hồ sơ: H57.132-260804-0583"
    assert len(answer.sections[0].links) == len(knowledge.province["status_lookup"])
    assert all(s["what_you_see"] in "\n".join(answer.sections[0].lines) for s in knowledge.province["status_lookup"])


def test_status_with_a_bad_code_says_so(knowledge):
    answer = status(knowledge, [], t, typed="abc")
    assert answer.sections[0].lines[0].startswith("“abc” không giống mã hồ sơ")


def test_clarify_offers_at_most_four(knowledge):
    ids = [p.id for p in knowledge.procedures.values() if p.curated][:6]
    answer = clarify(knowledge, ids, t)
    assert len(answer.buttons) == 4 and all(b.action.startswith("pick:") for b in answer.buttons)


def test_browse_by_field(knowledge):
    fields = browse(knowledge, None, t)
    assert "field:Hộ tịch" in {b.action for b in fields.buttons}
    ho_tich = browse(knowledge, "Hộ tịch", t)
    assert "pick:ho-tich/khai-sinh" in {b.action for b in ho_tich.buttons}
