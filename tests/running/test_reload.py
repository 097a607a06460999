"""Live reload on a copy of the shipped knowledge: a broken edit is refused with file:line problems and the
assistant keeps answering from the last good knowledge; a good edit is swapped in; the watcher does it alone."""
import asyncio
import copy
import re
import shutil
from pathlib import Path

import pytest

from bot.running import reload as reload_module
from bot.knowledge.problems import Problem
from bot.running.reload import KnowledgeReloader

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge"
CURATED = Path("local/ho-tich/khai-sinh.toml")
NEW_ALIAS = "báo tin vui nhà có em bé"


@pytest.fixture
def tree(pristine, tmp_path):
    """A fresh copy of the knowledge folder for one test to edit."""
    root = tmp_path / "knowledge"
    shutil.copytree(pristine[0], root)
    return root


@pytest.fixture
def assistant(pristine):
    """The assistant, per test: a swap replaces its brain without touching the shared one."""
    return copy.copy(pristine[1])


def answers_birth_registration(assistant) -> bool:
    reply = assistant.reply("làm giấy khai sinh", {})
    return ([e.get("procedure") for e in reply.events] == ["ho-tich/khai-sinh"]
            and reply.answer.procedure_id == "ho-tich/khai-sinh" and "khai sinh" in reply.answer.title.lower())


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` with `new`; the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text[:at].count("\n") + 1


def add_alias(path: Path, alias: str) -> None:
    edit(path, "aliases = [\n", f'aliases = [\n  "{alias}",\n')


def test_bad_toml_syntax_is_refused_with_file_line_and_the_old_knowledge_keeps_answering(tree, assistant):
    reloader, before = KnowledgeReloader(assistant, tree), assistant.brain
    line = edit(tree / CURATED, '"làm giấy khai sinh",', '"làm giấy khai sinh,')
    result = reloader.reload()
    assert result.changed and not result.ok and result.procedures == 0
    first = result.problems[0]
    assert str(first) == f"{(tree / CURATED).as_posix()}:{line}: (syntax): {first.message}"
    assert "check quotes" in first.message
    # the broken file is left out, so files that point to it are named too (knock-on problems)
    assert all('"ho-tich/khai-sinh"' in p.message for p in result.problems[1:])
    assert assistant.brain is before
    assert answers_birth_registration(assistant)


def test_a_wrong_type_is_refused_naming_the_key(tree, assistant):
    reloader, before = KnowledgeReloader(assistant, tree), assistant.brain
    fee_line = edit(tree / CURATED, "fee = 0", 'fee = "mười nghìn"')
    date_line = edit(tree / "local/offices.toml", "checked = 20", 'checked = "hôm qua" # 20')
    result = reloader.reload()
    assert not result.ok
    where = {(Path(p.file).name, p.line, p.key) for p in result.problems}
    assert ("khai-sinh.toml", fee_line, "methods[1].fee") in where, result.problems
    assert ("offices.toml", date_line, "office[1].checked") in where, result.problems
    for problem in result.problems:  # every one reads file:line: key: message
        file, line, key, message = re.fullmatch(r"(.+?):(\d+): ([^:]+): (.+)", str(problem)).groups()
        assert Path(file).is_file() and int(line) >= 1 and key and message
    assert assistant.brain is before and answers_birth_registration(assistant)


def test_fixing_the_file_with_a_new_alias_swaps_it_in(tree, assistant, pristine):
    reloader = KnowledgeReloader(assistant, tree)
    assert assistant.brain.understander.understand(NEW_ALIAS).intent == "none"
    good = (tree / CURATED).read_text(encoding="utf-8")
    edit(tree / CURATED, "[[documents]]", "[[documents]\n")
    assert not reloader.reload().ok
    (tree / CURATED).write_text(good, encoding="utf-8")
    add_alias(tree / CURATED, NEW_ALIAS)
    result = reloader.reload()
    assert result.ok and result.changed and result.problems == []
    assert result.procedures == len(pristine[1].knowledge.procedures) == len(assistant.knowledge.procedures)
    assert assistant.brain is not pristine[1].brain
    understood = assistant.brain.understander.understand(NEW_ALIAS)
    assert (understood.intent, understood.top.id, understood.clarify) == ("procedure", "ho-tich/khai-sinh", False)
    assert understood.top.phrase == NEW_ALIAS
    assert [e["procedure"] for e in assistant.reply(NEW_ALIAS, {}).events] == ["ho-tich/khai-sinh"]
    assert answers_birth_registration(assistant)


def test_an_unforced_reload_does_nothing_when_no_file_changed(tree, assistant):
    reloader, before = KnowledgeReloader(assistant, tree), assistant.brain
    assert not reloader.reload(force=False).changed
    assert assistant.brain is before


async def wait_until(condition, timeout: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the watcher did not react in time"
        await asyncio.sleep(0.05)


async def test_the_watcher_picks_up_a_good_edit_and_reports_a_broken_one(tree, assistant):
    refused: list = []

    async def on_refused(result):
        refused.append(result)

    reloader, before = KnowledgeReloader(assistant, tree, on_refused=on_refused), assistant.brain
    watcher = asyncio.create_task(reloader.watch(0.05))
    try:
        await asyncio.sleep(0.3)
        assert assistant.brain is before and not refused  # nothing changed: nothing reloaded
        add_alias(tree / CURATED, NEW_ALIAS)
        await wait_until(lambda: assistant.brain is not before)
        assert assistant.brain.understander.understand(NEW_ALIAS).top.id == "ho-tich/khai-sinh"
        assert not refused
        good = assistant.brain
        line = edit(tree / CURATED, 'kind = "online"', 'kind = "online')
        await wait_until(lambda: refused)
        first = refused[0].problems[0]
        assert (Path(first.file).name, first.line, first.key) == ("khai-sinh.toml", line, "(syntax)")
        assert assistant.brain is good and answers_birth_registration(assistant)
        await asyncio.sleep(0.3)
        assert len(refused) == 1, "the same broken edit is reported once, not at every look"
    finally:
        watcher.cancel()
        with pytest.raises(asyncio.CancelledError):
            await watcher


async def test_the_watcher_keeps_watching_after_a_failed_look(tree, assistant, monkeypatch):
    looks, refused = [], []
    problem = Problem("local/x.toml", 3, "name", "missing")

    def flaky_read(root):
        looks.append(root)
        if len(looks) == 1:
            raise FileNotFoundError("a file vanished while it was read")
        return assistant.knowledge, [problem]

    async def on_refused(result):
        refused.append(result)

    monkeypatch.setattr(reload_module, "read_knowledge", flaky_read)
    reloader = KnowledgeReloader(assistant, tree, on_refused=on_refused)
    watcher = asyncio.create_task(reloader.watch(0.02))
    try:
        (tree / "local" / "offices.toml").write_text("# edited\n" + (tree / "local" / "offices.toml").read_text())
        await wait_until(lambda: looks, 10)
        (tree / "local" / "province.toml").write_text("# edited\n" + (tree / "local" / "province.toml").read_text())
        await wait_until(lambda: refused, 10)
        assert refused[0].problems == [problem] and len(looks) == 2
    finally:
        watcher.cancel()
