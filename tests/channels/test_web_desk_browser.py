"""In a real headless Chromium: a web-chat citizen asks for a person; the desk's reply shows on the page.

The desk group itself is played by a registered desk poster (Telegram's side is in test_telegram_desk.py);
the reply goes through the real Desk, the store's outbox and GET /api/messages.
"""
from __future__ import annotations

import asyncio

from bot.channels.web.app import start_web
from bot.running.desk import Desk
from test_web_browser import ServerThread, answers, browser, require_browser  # noqa: F401 (the browser fixture)


class DeskServer(ServerThread):
    """The web chat with a Desk whose group only records the tickets posted to it."""

    def __init__(self, data_dir, knowledge):
        super().__init__(data_dir, knowledge)
        self.desk, self.posted = Desk(self.store, self.assistant), []

        async def post(ticket, event, text=""):
            self.posted.append(ticket["id"])

        self.desk.deliveries.desk(post)

    def __enter__(self) -> str:
        self.thread.start()
        started = asyncio.run_coroutine_threadsafe(
            start_web(self.settings, self.assistant, self.store, desk=self.desk), self.loop)
        self.runner = started.result(timeout=60)
        host, port = self.runner.addresses[0][:2]
        return f"http://{host}:{port}"

    def answer(self, text: str) -> dict:
        """A desk member's reply to the first ticket, as the desk group would give it."""
        return asyncio.run_coroutine_threadsafe(self.desk.answer(self.posted[0], "Hoa", text), self.loop).result(30)


def test_a_reply_from_the_desk_appears_in_the_web_chat(browser, tmp_path, knowledge):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    require_browser()
    server = DeskServer(tmp_path / "data", knowledge)
    with server as url:
        wait = WebDriverWait(browser, 60)
        browser.get(url + "/")
        wait.until(lambda d: len(answers(d)) == 1)
        browser.find_element(By.ID, "question").send_keys("cho tôi gặp cán bộ", Keys.ENTER)
        wait.until(lambda d: len(answers(d)) == 2)
        assert answers(browser)[-1].get_attribute("data-kind") == "handoff"
        assert "Mã yêu cầu của bạn: " + server.posted[0] in answers(browser)[-1].text

        assert server.answer("Chào bạn, bạn mang căn cước đến quầy hộ tịch nhé.")["delivered"]
        browser.refresh()  # the page asks for waiting replies when it loads (and every 20 s after)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#log article[data-kind=person]"))
        reply = browser.find_element(By.CSS_SELECTOR, "#log article[data-kind=person]")
        assert reply.find_element(By.TAG_NAME, "h2").text == "Trả lời từ Hoa (cán bộ/tình nguyện viên)"
        assert "bạn mang căn cước đến quầy hộ tịch" in reply.text
        assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
