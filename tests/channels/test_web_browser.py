"""End to end in a real headless Chromium: ask, read the documents, press a chip, save a screenshot.

Needs Debian's `chromium` and `chromium-driver`. Without them the test is skipped, or fails when CI is set.
"""
from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import pytest

from bot.answering.conversation import Assistant
from bot.running.settings import load_settings
from bot.running.journal import StateStore
from bot.channels.web.app import start_web

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROME_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=412,1400", "--lang=vi")


def require_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (os.path.exists(p) and os.access(p, os.X_OK))]
    if not missing:
        return
    message = f"{', '.join(missing)} missing: apt-get install -y chromium chromium-driver"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class ServerThread:
    """The real web app (start_web) on 127.0.0.1 with an ephemeral port, in a thread with its own event loop."""

    def __init__(self, data_dir: Path, knowledge):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        settings = load_settings({}).replace(bot_web_host="127.0.0.1", bot_web_port=0, bot_data_dir=str(data_dir))
        self.store = StateStore(data_dir)
        self.assistant = Assistant(knowledge)
        self.settings = settings

    def __enter__(self) -> str:
        self.thread.start()
        started = asyncio.run_coroutine_threadsafe(start_web(self.settings, self.assistant, self.store), self.loop)
        self.runner = started.result(timeout=60)
        host, port = self.runner.addresses[0][:2]
        return f"http://{host}:{port}"

    def __exit__(self, *exc) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=30)
        self.loop.close()
        self.store.close()


@pytest.fixture
def browser(tmp_path):
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chrome-profile'}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def server(tmp_path_factory, knowledge):
    require_browser()
    with ServerThread(tmp_path_factory.mktemp("web-data"), knowledge) as url:
        yield url


def answers(driver):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, "#log article.answer")


def test_chat_in_chromium(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)
    browser.get(server + "/")
    wait.until(lambda d: len(answers(d)) == 1)  # the greeting
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    box = browser.find_element(By.ID, "question")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=question]").text == "Câu hỏi của bạn"
    box.send_keys("làm giấy khai sinh cho con", Keys.ENTER)
    wait.until(lambda d: len(answers(d)) == 2 and "Giấy chứng sinh" in answers(d)[-1].text)
    card = answers(browser)[-1]
    assert card.find_element(By.TAG_NAME, "h2").text == "Đăng ký khai sinh"
    assert card.find_element(By.CSS_SELECTOR, ".sec h3").text == "Giấy tờ cần chuẩn bị"
    for link in card.find_elements(By.CSS_SELECTOR, "a[target=_blank]"):
        assert link.get_attribute("rel") == "noopener"

    chip = next(b for b in card.find_elements(By.CSS_SELECTOR, "button.chip") if b.text == "Nơi nộp")
    chip.send_keys(Keys.ENTER)  # chips work from the keyboard
    wait.until(lambda d: len(answers(d)) == 3)
    where = answers(browser)[-1]
    assert where.find_element(By.CSS_SELECTOR, ".sec h3").text == "Nơi nộp hồ sơ"
    assert "Trung tâm Phục vụ hành chính công" in where.text
    assert browser.find_elements(By.CSS_SELECTOR, "#log .you")[-1].text.endswith("Nơi nộp")

    ARTIFACTS.mkdir(exist_ok=True)
    browser.execute_script("arguments[0].scrollIntoView({block: 'start', behavior: 'instant'})", where)
    assert browser.save_screenshot(str(ARTIFACTS / "web-chat.png"))

    injection = "<img src=x onerror=alert(1)>"
    box.send_keys(injection, Keys.ENTER)
    wait.until(lambda d: len(answers(d)) == 4)
    assert browser.find_elements(By.CSS_SELECTOR, "#log .you")[-1].text.endswith(injection)
    assert not browser.find_elements(By.CSS_SELECTOR, "#log img")  # shown as text, never parsed
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_kiosk_shows_print_and_qr(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)
    browser.set_window_size(1080, 1400)
    browser.get(server + "/?kiosk=1")
    wait.until(lambda d: len(answers(d)) == 1)
    assert "kiosk" in browser.find_element(By.TAG_NAME, "html").get_attribute("class")
    browser.find_element(By.ID, "question").send_keys("làm giấy khai sinh cho con", Keys.ENTER)
    wait.until(lambda d: len(answers(d)) == 2)
    card = answers(browser)[-1]
    assert card.find_element(By.CSS_SELECTOR, ".print-button").text == "In danh sách giấy tờ"
    qr = card.find_element(By.CSS_SELECTOR, ".qr img")
    assert qr.get_attribute("src").endswith("/qr/ho-tich/khai-sinh.svg")
    wait.until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", qr))
    browser.execute_script("arguments[0].scrollIntoView({block: 'start', behavior: 'instant'})", card.find_element(By.CSS_SELECTOR, ".kiosk-tools"))
    browser.save_screenshot(str(ARTIFACTS / "web-kiosk.png"))


def first_screen_check(browser, card, staff_texts):
    """The papers come right after the title and summary; no staff wording anywhere on the card."""
    from selenium.webdriver.common.by import By

    documents = card.find_element(By.CSS_SELECTOR, ".sec[data-key=documents]")
    caution = card.find_element(By.CSS_SELECTOR, ".caution")
    assert documents.location["y"] < caution.location["y"]
    before = browser.execute_script(
        "var out = [], n = arguments[0].firstElementChild;"
        "while (n && n !== arguments[1]) { out.push(n.className); n = n.nextElementSibling; } return out;", card, documents)
    assert set(before) <= {"answer-title", "subtitle", "intro"}, before
    for text in staff_texts:
        assert text[:40] not in card.text


def test_short_card_first_on_a_390_pixel_phone(browser, server, knowledge):
    """Tạm trú and sang tên on a 390-pixel-wide screen: papers before any note; "Chi tiết" opens the rest."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    from bot.knowledge.review import review_items

    wait = WebDriverWait(browser, 30)
    browser.set_window_size(390, 844)
    browser.get(server + "/")
    wait.until(lambda d: len(answers(d)) == 1)
    assert browser.execute_script("return document.documentElement.clientWidth") <= 390
    asked = [("đăng ký tạm trú", "cu-tru/tam-tru", "web-phone-tam-tru.png"),
             ("sang tên sổ đỏ", "dat-dai/chuyen-nhuong-tang-cho-thua-ke", "web-phone-sang-ten.png")]
    for n, (question, pid, shot) in enumerate(asked, 2):
        browser.find_element(By.ID, "question").send_keys(question, Keys.ENTER)
        wait.until(lambda d: len(answers(d)) == n)
        card = answers(browser)[-1]
        assert card.find_element(By.TAG_NAME, "h2").text == knowledge.find(pid).name
        first_screen_check(browser, card, [i.text for i in review_items(knowledge.find(pid).data)])
        assert not [b for b in card.find_elements(By.CSS_SELECTOR, "button.chip") if b.text == "Chi tiết"]
        more = card.find_element(By.CSS_SELECTOR, "details.more-details")
        assert not more.find_element(By.CSS_SELECTOR, ".sec[data-key=legal_basis]").is_displayed()
        browser.execute_script("arguments[0].scrollIntoView({block: 'start', behavior: 'instant'})", card)
        ARTIFACTS.mkdir(exist_ok=True)
        assert browser.save_screenshot(str(ARTIFACTS / shot))
        summary = more.find_element(By.TAG_NAME, "summary")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", summary)
        summary.click()
        assert more.find_element(By.CSS_SELECTOR, ".sec[data-key=legal_basis]").is_displayed()
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_an_english_speaker_switches_the_page_to_english(browser, server):
    """The English switch: the page's own labels and the answers in English; typing English keeps it English."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)
    browser.get(server + "/")
    wait.until(lambda d: len(answers(d)) == 1)
    switch = browser.find_element(By.ID, "lang")
    assert switch.text == "English" and switch.get_attribute("lang") == "en"
    switch.click()
    wait.until(lambda d: len(answers(d)) == 2)
    assert answers(browser)[-1].find_element(By.TAG_NAME, "h2").text == "I will answer in English."
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert browser.find_element(By.CSS_SELECTOR, "label[for=question]").text == "Your question"
    assert browser.find_element(By.ID, "send").text == "Send" and switch.text == "Tiếng Việt"
    assert browser.find_element(By.ID, "question").get_attribute("placeholder").startswith("For example")

    browser.find_element(By.ID, "question").send_keys("How do I register the birth of my baby?", Keys.ENTER)
    wait.until(lambda d: len(answers(d)) == 3)
    card = answers(browser)[-1]
    assert card.find_element(By.TAG_NAME, "h2").text == "Birth registration"
    assert card.find_element(By.CSS_SELECTOR, ".subtitle").text == "Đăng ký khai sinh"
    assert card.find_element(By.CSS_SELECTOR, ".sec h3").text == "Documents to bring"
    ARTIFACTS.mkdir(exist_ok=True)
    browser.execute_script("arguments[0].scrollIntoView({block: 'start', behavior: 'instant'})", card)
    assert browser.save_screenshot(str(ARTIFACTS / "web-english.png"))

    switch.send_keys(Keys.ENTER)  # back to Vietnamese, from the keyboard (the header has scrolled away)
    wait.until(lambda d: len(answers(d)) == 4)
    assert browser.find_element(By.ID, "send").text == "Gửi" and switch.text == "English"
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
