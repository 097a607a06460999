"""Staff commands through the real python-telegram-bot Application, polling the fake Bot API on loopback."""
import copy
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.knowledge.loader import read_knowledge
from bot.running.reload import KnowledgeReloader
from bot.running.settings import load_settings
from bot.running.journal import StateStore
from bot.channels.telegram.app import start_telegram
from bot.channels.telegram.staff import chunks, notify_staff
from helpers.fake_bot_api import TOKEN, FakeBotAPI, private_chat, user

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge"
STAFF, OTHER_STAFF, CITIZEN = 4242, 4343, 1001
CURATED = Path("local/ho-tich/khai-sinh.toml")
REFUSAL = "Bạn không có quyền dùng lệnh này."


@pytest.fixture(autouse=True)
def staff_in_vietnamese(staff_in_english):
    """Staff read Vietnamese here, as by default (BOT_STAFF_LANG=vi); the conftest sets English for other tests."""
    from bot.knowledge.staff_text import set_staff_language

    set_staff_language("vi")


@pytest.fixture
async def bot(pristine, tmp_path):
    """The Telegram channel running against the fake API, on its own copy of the knowledge and state."""
    tree = tmp_path / "knowledge"
    shutil.copytree(pristine[0], tree)
    assistant, store = copy.copy(pristine[1]), StateStore(tmp_path / "data")
    reloader = KnowledgeReloader(assistant, tree)
    api = await FakeBotAPI(max_poll_seconds=0.2).start()
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                              "BOT_STAFF_IDS": f"{STAFF}, {OTHER_STAFF}", "BOT_DATA_DIR": str(tmp_path / "data"),
                              "BOT_KNOWLEDGE_DIR": str(tree), "BOT_RATE_LIMIT_PER_MINUTE": "100"})
    handle = await start_telegram(settings, assistant, store, reloader, api_rate_limit=False)
    staff = (private_chat(STAFF, "Cán bộ"), user(STAFF, "Cán bộ"))
    citizen = (private_chat(CITIZEN, "Lan"), user(CITIZEN, "Lan"))
    try:
        yield SimpleNamespace(api=api, tree=tree, assistant=assistant, store=store, reloader=reloader,
                              application=handle.application, staff=staff, citizen=citizen)
    finally:
        await handle.stop()
        await api.stop()
        store.close()
    assert not api.errors, [(c.method, c.error) for c in api.errors]


async def send(bot, who: tuple, text: str, until: str | None = None, timeout: float = 60) -> list:
    """Send `text` from (chat, user); the bot's messages to that chat up to the first one (containing `until`)."""
    chat, person = who
    mark = len(bot.api.calls)
    await bot.api.push_text(chat, person, text)
    last = await bot.api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == chat["id"] and (
        until is None or until in c.shown), timeout, since=mark)
    sent = bot.api.sent(chat["id"], since=mark)
    return sent[: sent.index(last) + 1]


async def one(bot, who: tuple, text: str):
    """The bot's (first) message in answer to `text`."""
    return (await send(bot, who, text))[0]


async def test_someone_not_on_the_staff_list_is_refused(bot):
    for command in ("/stats", "/unanswered", "/preview làm giấy khai sinh", "/reload"):
        answer = await one(bot, bot.citizen, command)
        assert answer.shown == REFUSAL
    assert (await bot.store.questions()) == []  # a refused command is not a citizen's question


async def test_stats_and_unanswered(bot):
    for question in ("làm giấy khai sinh", "đăng ký tạm trú", "<b>con voi</b> bay & múa?"):
        await one(bot, bot.citizen, question)
    answer = await one(bot, bot.staff, "/stats")
    shown = answer.shown
    assert answer.params.get("parse_mode") == "HTML"
    assert "Câu hỏi hôm nay: 3" in shown and "Câu hỏi trong 7 ngày này: 3; trả lời được: 67%" in shown
    assert ". Đăng ký khai sinh (ho-tich/khai-sinh): 1" in shown and "(cu-tru/tam-tru): 1" in shown
    assert "“<b>con voi</b> bay & múa?” ×1" in shown  # shown as typed, sent escaped
    assert "&lt;b&gt;con voi&lt;/b&gt; bay &amp; múa?" in answer.text

    answer = await one(bot, bot.staff, "/unanswered 5")
    assert answer.shown.splitlines()[0] == "1 câu hỏi gần nhất chưa trả lời được hoặc chưa chắc chắn:"
    assert re.fullmatch(r"\d\d/\d\d \d\d:\d\d — <b>con voi</b> bay & múa\?", answer.shown.splitlines()[1])
    assert (await one(bot, bot.staff, "/unanswered abc")).shown.startswith("1 câu hỏi gần nhất")


async def test_preview_shows_the_match_and_why(bot):
    shown = (await one(bot, bot.staff, "/preview làm giấy khai sinh")).shown
    lines = shown.splitlines()
    assert lines[0] == "Câu hỏi: làm giấy khai sinh"
    assert lines[1] == "Loại câu hỏi: procedure"
    assert re.fullmatch(r"Khớp nhất: Đăng ký khai sinh \(ho-tich/khai-sinh\) — điểm 0\.\d\d", lines[2])
    assert lines[3].startswith("Vì sao: câu hỏi khớp với cụm “") and "khai sinh" in lines[3]
    assert "Các lựa chọn tiếp theo:" in lines and "ho-tich/dang-ky-lai-khai-sinh" in shown
    assert "Hỏi lại để chọn: không" in lines and "Quyết định: trả lời bằng thủ tục khớp nhất" in lines
    assert "Khía cạnh được hỏi: documents" in (await one(bot, bot.staff, "/preview khai sinh cần giấy tờ gì")).shown
    assert (await one(bot, bot.staff, "/preview")).shown == "Cách dùng: /preview <câu hỏi>"
    poisoned = (await one(bot, bot.staff, "/preview khai sinh \ud800")).shown  # issue 10: once a crash
    assert "khai sinh" in poisoned and "ho-tich/khai-sinh" in poisoned
    assert (await bot.store.questions()) == []  # a preview is not recorded as a citizen's question


async def test_reload_refuses_a_broken_edit_and_the_bot_keeps_answering(bot):
    path = bot.tree / CURATED
    text = path.read_text(encoding="utf-8")
    line = text[: text.index('"làm giấy khai sinh",')].count("\n") + 1
    path.write_text(text.replace('"làm giấy khai sinh",', '"làm giấy khai sinh,', 1), encoding="utf-8")
    sent = await send(bot, bot.staff, "/reload", f"{path.as_posix()}:{line}: (syntax):")
    assert sent[0].shown.startswith("CHƯA nạp lại dữ liệu: có ")
    answer = await one(bot, bot.citizen, "làm giấy khai sinh")
    assert "Đăng ký khai sinh" in answer.shown
    assert (await bot.store.questions())[-1]["procedure"] == "ho-tich/khai-sinh"

    path.write_text(text.replace("aliases = [\n", 'aliases = [\n  "báo tin vui nhà có em bé",\n', 1), encoding="utf-8")
    done = await send(bot, bot.staff, "/reload", "Đã nạp lại dữ liệu:")
    assert done[-1].shown == f"Đã nạp lại dữ liệu: {len(bot.assistant.knowledge.procedures)} thủ tục."
    assert "Đăng ký khai sinh" in (await one(bot, bot.citizen, "báo tin vui nhà có em bé")).shown


async def test_a_long_list_of_problems_is_escaped_and_split(bot):
    for path in sorted((bot.tree / "local").glob("*/*.toml")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('kind = "in_person"', 'kind = "<tại chỗ> & ngay"'), encoding="utf-8")
    _, problems = read_knowledge(bot.tree)
    assert len(problems) > 30 and any("<tại chỗ>" in p.message for p in problems)
    sent = await send(bot, bot.staff, "/reload", str(problems[-1]))
    assert len(sent) > 1 and all(len(c.text) <= 4096 and c.params.get("parse_mode") == "HTML" for c in sent)
    shown = "\n".join(c.shown for c in sent).splitlines()
    assert all(str(p) in shown for p in problems)
    assert "&lt;tại chỗ&gt; &amp; ngay" in sent[0].text


async def test_the_watcher_tells_every_staff_member_about_a_refused_edit(bot):
    assert bot.reloader.on_refused is not None  # wired by register_staff_handlers
    path = bot.tree / CURATED
    path.write_text(path.read_text(encoding="utf-8").replace("fee = 0", 'fee = "mười nghìn"', 1), encoding="utf-8")
    mark = len(bot.api.calls)
    await bot.reloader.on_refused(bot.reloader.reload(force=False))
    for chat_id in (STAFF, OTHER_STAFF):
        sent = bot.api.sent(chat_id, since=mark)
        assert sent and "CHƯA nạp lại dữ liệu" in sent[0].shown and "methods[1].fee" in sent[0].shown
    assert bot.api.sent(CITIZEN, since=mark) == []
    mark = len(bot.api.calls)
    await notify_staff(bot.application, "Tin <thử> & nghiệm")
    assert [c.shown for c in bot.api.sent(since=mark)] == ["Tin <thử> & nghiệm"] * 2


def test_chunks_split_between_lines_and_never_inside_an_entity():
    text = "\n".join(f"dòng {i} <{'x' * 50}> & {'y' * 30}" for i in range(200))
    pieces = chunks(text, limit=1000)
    assert len(pieces) > 5 and all(len(p) <= 1000 for p in pieces)
    assert "\n".join(pieces) == text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    emoji = chunks("👍 " * 3000, limit=1000)
    assert all(len(p.encode("utf-16-le")) // 2 <= 1000 for p in emoji) and "".join(emoji).count("👍") == 3000
    long_line = "&" * 3000
    pieces = chunks(long_line, limit=1000)
    assert all(len(p) <= 1000 and p.endswith("&amp;") for p in pieces)
    assert "".join(pieces) == "&amp;" * 3000


def test_preview_shows_staffs_own_review_wording(assistant):
    """Staff read their review items in /preview; citizens only see "(chờ xác nhận)" beside the fact."""
    from bot.channels.telegram.staff import preview_text

    text = preview_text(assistant, "đăng ký tạm trú")
    assert "Đang chờ cán bộ xác nhận:" in text and "(fee) Lệ phí nộp trực tiếp" in text
