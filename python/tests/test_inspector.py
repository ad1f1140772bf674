"""The emulator's inspector (GET /_emulator/) in a real browser: Debian's chromium, headless, driven by Selenium
through the system chromedriver. A deliberately broken request shows with the server's string to sign; what the
requests carried is shown as text, never as markup; no secret is on the page; the buttons reset, advance and set
faults. Screenshots are kept under target/screenshots (CI artifacts)."""

from __future__ import annotations

import datetime as dt
import pathlib
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

import aliprefetch
from conftest import DOMAIN

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHOTS = ROOT / "target" / "screenshots"
# A URL that would be markup if the page inserted it as HTML.
MARKUP_URL = f"rtmp://{DOMAIN}/live/<b>bold</b>"


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    # The system driver: Selenium Manager would try to download one first.
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def text_of(driver: WebDriver, element_id: str) -> str:
    return str(driver.find_element(By.ID, element_id).text)


def wait_for(driver: WebDriver, what: str, condition: object) -> None:
    # Bounded by a generous deadline; the page polls every second, so the condition holds within a few.
    WebDriverWait(driver, 60, poll_frequency=0.2).until(condition, message=what)


def test_the_inspector_shows_a_broken_request_with_its_string_to_sign(browser: WebDriver) -> None:
    with aliprefetch.Emulator({"live": {"preload": {"seconds_to_complete": 1}}}) as emu:
        good = aliprefetch.Client(endpoint=emu.endpoint, credentials=emu.credentials)
        good.set_live_stream_preload_tasks(domain_name=DOMAIN, play_urls=[MARKUP_URL])
        wrong = aliprefetch.Client(
            endpoint=emu.endpoint,
            credentials=aliprefetch.Credentials("testid", "not-the-secret"),
            retry={"max_attempts": 1},
        )
        with pytest.raises(aliprefetch.AuthError):
            wrong.describe_live_stream_preload_tasks(domain_name=DOMAIN)

        browser.get(emu.endpoint + "/_emulator/")
        wait_for(browser, "the refused request", lambda d: "SignatureDoesNotMatch" in text_of(d, "recent"))
        recent = text_of(browser, "recent")
        assert "DescribeLiveStreamPreloadTasks" in recent and "testid" in recent, recent
        assert "server string to sign is:ACS3-HMAC-SHA256" in recent, recent
        # The canonical request is one click away.
        browser.find_element(By.CSS_SELECTOR, "#recent details summary").click()
        canonical = browser.find_element(By.CSS_SELECTOR, "#recent pre.canonical").text
        assert canonical.startswith("POST\n/\n") and "x-acs-action:DescribeLiveStreamPreloadTasks" in canonical
        # What a request carried is text: the URL's markup is shown, not rendered.
        wait_for(browser, "the task", lambda d: MARKUP_URL in text_of(d, "tasks"))
        assert browser.find_elements(By.CSS_SELECTOR, "#tasks b") == []
        assert "testsecret" not in browser.page_source and "not-the-secret" not in browser.page_source
        SHOTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SHOTS / "inspector.png"))

        # Advance: the page's clock and the emulator's move together.
        before = emu.now()
        field = browser.find_element(By.ID, "advance-by")
        field.clear()
        field.send_keys("2h")
        browser.find_element(By.ID, "advance").click()
        wait_for(browser, "the clock moved", lambda d: "done: advance" in text_of(d, "status"))
        assert emu.now() - before >= dt.timedelta(hours=2)
        moved = before + dt.timedelta(hours=2)
        wait_for(
            browser,
            "the page's clock",
            lambda d: (
                dt.datetime.strptime(text_of(d, "now"), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc) >= moved
            ),
        )

        # Faults: every request throttled until they are lifted.
        rate = browser.find_element(By.ID, "error-rate")
        rate.clear()
        rate.send_keys("1")
        errors = browser.find_element(By.ID, "errors")
        errors.clear()
        errors.send_keys("Throttling.User")
        browser.find_element(By.ID, "apply-faults").click()
        wait_for(browser, "the faults", lambda d: '"error_rate": 1' in text_of(d, "faults"))
        throttled = aliprefetch.Client(endpoint=emu.endpoint, credentials=emu.credentials, retry={"max_attempts": 1})
        with pytest.raises(aliprefetch.ThrottledError):
            throttled.describe_live_stream_preload_tasks(domain_name=DOMAIN)
        browser.save_screenshot(str(SHOTS / "inspector-faults.png"))

        # Reset: nothing held, nothing listed.
        browser.find_element(By.ID, "reset").click()
        wait_for(browser, "the reset", lambda d: "done: reset" in text_of(d, "status"))
        assert emu.tasks() == []
        wait_for(browser, "an empty page", lambda d: d.find_elements(By.CSS_SELECTOR, "#tasks tbody tr") == [])
