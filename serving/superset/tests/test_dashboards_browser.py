"""The dashboards as the analyst sees them: headless Chromium (Debian's chromium + chromium-driver)
logs in as the analyst, opens every dashboard, waits for every chart, saves a screenshot
(serving/superset/target/screenshots/<slug>.png) and fails on any chart error; the analyst finds no
way to edit and SQL Lab refuses them."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

import dashboards
from superset_fixtures import ROOT, password

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = ROOT / "serving" / "superset" / "target" / "screenshots"
CHART_TIMEOUT_S = 120
# what Superset shows in a chart that failed or has nothing to show
ERROR_MARKERS = ("Data error", "Unexpected error", "No results were returned", "Network error",
                 "There was an issue", "Error:")
LOADING = '[data-test="loading-indicator"], .loading, [aria-label="Loading"]'
RENDERED = ".superset-legacy-chart-table, .superset-chart-big-number, .big_number_total, canvas, " \
           "[class*='superset-chart-'], .echarts-for-react, table"

pytestmark = pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
                                reason="chromium/chromium-driver missing: run-tests installs them with apt")


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-extensions", "--disable-sync",
                "--no-first-run", "--mute-audio", "--window-size=1600,1800"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def analyst_browser(browser, analyst_stack):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    url = analyst_stack.superset["url"]
    browser.get(f"{url}/login/")
    WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.ID, "username")))
    browser.find_element(By.ID, "username").send_keys("analyst")
    browser.find_element(By.ID, "password").send_keys(password(analyst_stack, "analyst"))
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 30).until(lambda d: "/login" not in d.current_url)
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return browser, url


def chart_states(driver) -> list[str]:
    """Per chart holder: 'loading', 'error: ...', 'rendered' or 'empty'."""
    from selenium.webdriver.common.by import By

    states = []
    for holder in driver.find_elements(By.CSS_SELECTOR, '[data-test="dashboard-component-chart-holder"]'):
        text = holder.text
        if holder.find_elements(By.CSS_SELECTOR, LOADING):
            states.append("loading")
        elif holder.find_elements(By.CSS_SELECTOR, ".ant-alert-error") or any(m in text for m in ERROR_MARKERS):
            states.append("error: " + " ".join(text.split())[:300])
        elif holder.find_elements(By.CSS_SELECTOR, RENDERED):
            states.append("rendered")
        else:
            states.append("empty")
    return states


@pytest.mark.parametrize("dashboard", dashboards.DASHBOARDS, ids=[d.slug for d in dashboards.DASHBOARDS])
def test_analyst_sees_every_chart_of_the_dashboard(dashboard, analyst_browser):
    from selenium.webdriver.common.by import By

    driver, url = analyst_browser
    t0 = time.monotonic()
    driver.get(f"{url}/superset/dashboard/{dashboard.slug}/")
    states: list[str] = []
    while time.monotonic() - t0 < CHART_TIMEOUT_S:
        states = chart_states(driver)
        if len(states) == len(dashboard.charts) and all(s == "rendered" or s.startswith("error") for s in states):
            break
        time.sleep(1)
    time.sleep(1)  # let the last animation settle before the screenshot
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1600, max(1800, height + 100))
    driver.save_screenshot(str(SCREENSHOTS / f"{dashboard.slug}.png"))
    driver.set_window_size(1600, 1800)
    errors = [s for s in states if s != "rendered"]
    assert len(states) == len(dashboard.charts), f"{len(states)} of {len(dashboard.charts)} charts on the page"
    assert not errors, f"{dashboard.title}: {errors} (screenshot {SCREENSHOTS / dashboard.slug}.png)"
    assert dashboard.title in driver.title or dashboard.title in driver.page_source
    # read-only: no edit button, and the chart menus offer no edit
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-test="edit-dashboard-button"]')
    assert "Edit dashboard" not in driver.page_source
    print(f"{dashboard.slug}: {len(states)} charts rendered in {time.monotonic() - t0:.1f} s")


def test_analyst_cannot_open_sql_lab(analyst_browser):
    from selenium.webdriver.common.by import By

    driver, url = analyst_browser
    driver.get(f"{url}/sqllab/")
    time.sleep(3)
    # no editor for a user without SQL Lab's permissions: Superset answers with an error page
    assert not driver.find_elements(By.CSS_SELECTOR, ".ace_editor, [data-test='sql-editor-tabs']")
    page = driver.page_source.lower()
    assert "/sqllab" not in driver.current_url or any(w in page for w in ("error", "denied", "permission"))
    driver.get(f"{url}/superset/welcome/")
    time.sleep(2)
    assert not [e for e in driver.find_elements(By.CSS_SELECTOR, "a") if e.text.strip() == "SQL Lab"]
