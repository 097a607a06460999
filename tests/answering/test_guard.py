"""GuardedAssistant: an answer that fails to build comes from the last good knowledge, else an apology; counted, told."""
import datetime as dt

from bot.answering.conversation import Assistant
from bot.answering.guard import GuardedAssistant
from bot.answering.render import to_text
from bot.knowledge.loader import load_knowledge
from bot.running import stats

from helpers.knowledge_tree import make_tree


def broken_and_good(tmp_path):
    tree = make_tree(tmp_path / "k")
    good, broken = load_knowledge(tree), load_knowledge(tree)
    broken.find("ho-tich/khai-sinh").data["methods"][0]["fee"] = "tám nghìn"
    return good, broken


def test_last_good_answer_then_counted_and_told_once(tmp_path):
    good, broken = broken_and_good(tmp_path)
    told = []
    guarded = GuardedAssistant(Assistant(good))
    guarded.listeners.append(told.append)
    guarded.swap(broken)
    reply = guarded.reply("làm giấy khai sinh", {})
    assert reply.answer.procedure_id == "ho-tich/khai-sinh" and "Miễn phí" in to_text(reply.answer)
    assert {"intent": "error", "picked": True, "procedure": None} in reply.events
    again = guarded.press("aspect:ho-tich/khai-sinh:fee", {})
    assert again.answer.procedure_id == "ho-tich/khai-sinh"
    assert guarded.procedure("ho-tich/khai-sinh", {}).procedure_id == "ho-tich/khai-sinh"
    assert guarded.failures == 3
    assert len(told) == 3 and "BadValue" in told[0]
    guarded.reply("làm giấy khai sinh", {})
    assert guarded.failures == 4 and len(told) == 3  # the same failure again: counted, staff not told twice
    assert guarded.knowledge is broken  # everything else is the Assistant's


def test_without_a_last_good_knowledge_an_apology_with_the_hotline(tmp_path):
    _, broken = broken_and_good(tmp_path)
    guarded = GuardedAssistant(Assistant(broken))
    reply = guarded.reply("làm giấy khai sinh", {})
    assert reply.answer.kind == "notice" and "1800 0000" in reply.answer.intro
    assert guarded.checklist("ho-tich/khai-sinh", {}).kind == "notice"
    assert guarded.reply("", {}).answer.kind == "greeting"  # what does not fail is untouched


def test_a_listener_that_fails_does_not_cost_the_answer(tmp_path):
    _, broken = broken_and_good(tmp_path)
    guarded = GuardedAssistant(Assistant(broken))
    guarded.listeners.append(lambda what: 1 / 0)
    assert guarded.reply("làm giấy khai sinh", {}).answer.kind == "notice"


def test_failures_are_counted_in_the_staff_figures_but_not_as_questions():
    now = dt.datetime.now(dt.timezone.utc).isoformat()
    records = [{"time": now, "text": "khai sinh", "intent": "procedure", "procedure": "x", "answered": True},
               {"time": now, "intent": "error", "picked": True, "procedure": None}]
    fig = stats.figures(records, [])
    assert fig.failed == 1 and fig.asked == 1 and fig.answered == 1
    from bot.running.report import render_text

    assert "1; hãy chạy check-knowledge" in render_text(fig)
