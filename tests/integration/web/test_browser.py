"""The pages in a real headless Chromium (Debian's package, driven by Selenium).

Skipped with a reason when Chromium or its driver is not installed, except where
RUMOURS_BROWSER_TESTS=required (CI sets it, after installing them): there they fail instead.
Set RUMOURS_SCREENSHOTS_DIR to keep the player and club pages' screenshots (docs/ holds them).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests.integration.web.conftest import Served

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,1000")  # fmt: skip
WAIT_SECONDS = 20


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        reason = (
            "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        )
        if os.environ.get("RUMOURS_BROWSER_TESTS") == "required":
            pytest.fail(reason)
        pytest.skip(reason)
    profile = tempfile.mkdtemp(prefix="rumours-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def wait(driver: WebDriver) -> WebDriverWait[WebDriver]:
    # The as-of control swaps the board out: an element found a moment ago may be gone.
    return WebDriverWait(driver, WAIT_SECONDS, ignored_exceptions=[StaleElementReferenceException])


def suggestion(driver: WebDriver, name: str) -> WebElement | None:
    links = driver.find_elements(By.CSS_SELECTOR, "#search-suggestions a")
    return next((link for link in links if name in link.text), None)


def spurs_status(driver: WebDriver) -> str:
    row = driver.find_element(By.CSS_SELECTOR, '#board tr[data-club="Tottenham Hotspur"] .status')
    return row.text


def test_the_player_page_shows_the_board_and_a_timeline_with_claim_details_on_hover(
    examples: sa.Engine, serve: Callable[..., Served], browser: WebDriver
) -> None:
    browser.get(serve().url + "/players/Ko Itakura")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ko Itakura"
    assert spurs_status(browser) == "interest re-emerged"
    bands = wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline rect.band"))
    assert {band.get_attribute("data-status") for band in bands} >= {
        "enquiry",
        "interest re-emerged",
    }
    dot = browser.find_element(By.CSS_SELECTOR, '#timeline g[data-club="Tottenham Hotspur"] circle')
    ActionChains(browser).move_to_element(dot).perform()
    tip = browser.find_element(By.ID, "timeline-tip")
    wait(browser).until(lambda d: tip.is_displayed())
    assert "Sky Deutschland" in tip.text and "2024-01-17" in tip.text
    _keep_screenshot(browser, "player-page.png")


def test_typing_in_the_search_box_suggests_the_player_and_opens_his_page(
    examples: sa.Engine, serve: Callable[..., Served], browser: WebDriver
) -> None:
    browser.get(serve().url + "/")
    browser.find_element(By.ID, "search-box").send_keys("khusan")
    wait(browser).until(lambda d: suggestion(d, "Abdukodir Khusanov")).click()
    wait(browser).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Abdukodir Khusanov")


def test_moving_the_as_of_control_re_renders_the_board_as_of_that_day(
    examples: sa.Engine, serve: Callable[..., Served], browser: WebDriver
) -> None:
    browser.get(serve().url + "/players/Ko Itakura")
    wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline rect.band"))
    assert spurs_status(browser) == "interest re-emerged"
    control = browser.find_element(By.ID, "as-of-range")
    control.send_keys(Keys.HOME)  # the first day anything was reported about him
    wait(browser).until(lambda d: spurs_status(d) == "enquiry")
    assert browser.find_element(By.ID, "as-of-label").text == "2024-01-17"
    assert browser.current_url.endswith("?as_of=2024-01-17")
    control.send_keys(Keys.END)
    wait(browser).until(lambda d: spurs_status(d) == "interest re-emerged")


def test_the_feed_shows_a_claim_appended_while_the_page_is_open(
    examples: sa.Engine, serve: Callable[..., Served], browser: WebDriver
) -> None:
    served = serve()
    browser.get(served.url + "/clubs/Tottenham Hotspur")
    wait(browser).until(lambda d: d.find_element(By.ID, "feed-state").text == "live")
    claim = {"reported_on": "2025-03-05", "kind": "talks", "player": "Marc Guehi",
             "club": "Chelsea", "source": "Sky Sports"}  # fmt: skip
    with served.writer() as http:
        assert http.post("/api/claims", json=claim).status_code == 201
    item = wait(browser).until(
        lambda d: d.find_element(By.CSS_SELECTOR, '#feed-list li[data-player="Marc Guehi"]')
    )
    assert "Chelsea" in item.text and "talks" in item.text
    _keep_screenshot(browser, "club-page.png")


def _keep_screenshot(driver: WebDriver, name: str) -> None:
    png = driver.get_screenshot_as_png()
    assert png.startswith(b"\x89PNG")
    if folder := os.environ.get("RUMOURS_SCREENSHOTS_DIR"):
        (Path(folder) / name).write_bytes(png)
