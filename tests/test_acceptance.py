"""Whatever passes, serves: check-knowledge and the live reload render every answer before accepting knowledge."""
from pathlib import Path

from bot.acceptance import render_problems
from bot.answering.conversation import Assistant
from bot.knowledge.loader import load_knowledge
from bot.knowledge.problems import Problem
from bot.running.reload import KnowledgeReloader

from helpers.knowledge_tree import make_tree, replace_in


def test_clean_knowledge_renders_everywhere(tmp_path):
    assert render_problems(load_knowledge(make_tree(tmp_path / "k"))) == []


def test_a_value_that_breaks_an_answer_is_a_problem_naming_file_line_and_key(tmp_path):
    """Values the schema let through (here set after loading, as a checker bug would) are caught by rendering."""
    tree = make_tree(tmp_path / "k")
    knowledge = load_knowledge(tree)
    knowledge.find("ho-tich/khai-sinh").data["methods"][0]["fee"] = "tám nghìn"
    knowledge.faq[0]["answer"] = None
    problems = {(Path(p.file).name, p.key): p for p in render_problems(knowledge)}
    fee = problems[("khai-sinh.toml", "methods")]
    assert fee.line == 17 and "BadValue" in fee.message  # the [[methods]] line of the curated file
    assert ("faq.toml", "faq") in problems
    assert str(fee).startswith(f"{fee.file}:17: methods: ")


def test_reload_refuses_what_does_not_render_and_keeps_the_last_good(tmp_path):
    tree = make_tree(tmp_path / "k")
    assistant = Assistant(load_knowledge(tree))
    before = assistant.brain
    refusing = KnowledgeReloader(assistant, tree, serving_check=lambda k: [Problem("f.toml", 3, "hours", "fails")])
    replace_in(tree / "local" / "faq.toml", "vneid mức 2", "vneid level 2")
    result = refusing.reload()
    assert not result.ok and str(result.problems[0]) == "f.toml:3: hours: fails" and assistant.brain is before
    accepting = KnowledgeReloader(assistant, tree, serving_check=render_problems)
    assert accepting.reload().ok and assistant.brain is not before


def test_reload_survives_an_assistant_that_cannot_be_built(tmp_path):
    tree = make_tree(tmp_path / "k")
    assistant = Assistant(load_knowledge(tree))
    before = assistant.brain

    class Unbuildable:  # stands for a Brain whose construction raises (a bug in the understanding)
        brain = before

        def swap(self, knowledge):
            raise RuntimeError("index build failed")

    result = KnowledgeReloader(Unbuildable(), tree).reload()
    assert not result.ok and result.problems[0].key == "(knowledge)" and "index build failed" in result.problems[0].message


def test_the_issue_10_edits_through_the_live_reload(tmp_path):
    """"7h30", "07.30", "Thứ 7" once passed the check and then broke most answers: now understood and served;
    closing before opening and a check date ten years ahead, which once passed, are refused."""
    from bot.answering import replies
    from bot.answering.i18n import translator
    from bot.answering.render import to_text

    tree = make_tree(tmp_path / "k")
    assistant = Assistant(load_knowledge(tree))
    reloader = KnowledgeReloader(assistant, tree, serving_check=render_problems)
    offices = tree / "local" / "offices.toml"
    replace_in(offices, 'open = "07:30"', 'open = "7h30"')
    replace_in(offices, 'close = "11:30"', 'close = "11.30"')
    replace_in(offices, 'days = ["1", "2", "3", "4", "5"]', 'days = ["Thứ 7"]')
    assert reloader.reload().ok
    shown = to_text(replies.office(assistant.knowledge, "ttpvhcc-a", translator("vi")))
    assert "07:30–11:30" in shown and "Thứ bảy" in shown
    before = assistant.brain
    replace_in(offices, 'close = "11.30"', 'close = "06:00"')
    replace_in(tree / "local" / "ho-tich" / "khai-sinh.toml", "checked = 2026-11-27", "checked = 2036-11-27")
    result = reloader.reload()
    assert {p.key for p in result.problems} == {"office[1].hours[1].close", "checked"} and assistant.brain is before
