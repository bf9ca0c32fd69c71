"""axe-core audits of the chat page and the kennisbank at 1280 and 360 px, and the
crisis line in the chat page's header.

Every state of a page is audited with the axe.min.js that the package
axe-selenium-python bundles (nothing is downloaded). A test fails on any violation of
impact "serious" or "critical"; all results go to tests/screenshots/axe-report.json
and a summary to tests/screenshots/axe-report.md, with a screenshot per state.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_browser import UNCLEAR, WAIT, ask, search
from tests.server.support import DUTCH_VOICE, Site, set_viewport, speech_voices

WIDTHS = {1280: 900, 360: 740}
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = {"critical", "serious"}


@pytest.fixture(scope="module")
def audits(screenshots: Path) -> Iterator[list[dict]]:
    """Collect the audits of this module; write the reports at its end."""
    collected: list[dict] = []
    yield collected
    if collected:
        (screenshots / "axe-report.json").write_text(
            json.dumps(collected, indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        (screenshots / "axe-report.md").write_text(summary(collected), encoding="utf-8")


def audit(
    driver: WebDriver, screenshots: Path, page: str, state: str, width: int
) -> dict:
    """Run axe on the page as it is now; save a screenshot; return the findings."""
    driver.save_screenshot(str(screenshots / f"axe-{page}-{state}-{width}.png"))
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    return {
        "page": page,
        "state": state,
        "width": width,
        "axe": driver.execute_script("return axe.version"),
        "violations": [
            {
                "id": rule["id"],
                "impact": rule["impact"],
                "help": rule["help"],
                "targets": [node["target"] for node in rule["nodes"]],
            }
            for rule in results["violations"]
        ],
        "incomplete": [rule["id"] for rule in results["incomplete"]],
        "passes": len(results["passes"]),
    }


def counts(result: dict) -> dict[str, int]:
    """Violated rules per impact."""
    found = [rule["impact"] for rule in result["violations"]]
    return {impact: found.count(impact) for impact in IMPACTS}


def blocking(results: list[dict]) -> list[str]:
    return [
        f"{r['page']} {r['state']} {r['width']}px: {v['id']} ({v['impact']}): "
        f"{v['help']} {v['targets']}"
        for r in results
        for v in r["violations"]
        if v["impact"] in BLOCKING
    ]


def summary(results: list[dict]) -> str:
    """A Markdown table: per page, state and width the violated rules by impact."""
    lines = [
        "# Accessibility audit (axe-core)",
        "",
        f"axe-core {results[0]['axe']}, all rules that are on by default (WCAG 2.0/2.1 "
        "A and AA and best practices), headless Chromium. Counts are violated rules; "
        "the tests fail on any critical or serious one. Details (elements): "
        'axe-report.json. "Needs review" lists rules that axe could not decide.',
        "",
        "| Page | State | Width | Critical | Serious | Moderate | Minor "
        "| Rules violated | Needs review |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        c = counts(r)
        rules = ", ".join(f"{v['id']} ({v['impact']})" for v in r["violations"])
        lines.append(
            f"| {r['page']} | {r['state']} | {r['width']} px | {c['critical']} "
            f"| {c['serious']} | {c['moderate']} | {c['minor']} | {rules or '-'} "
            f"| {', '.join(r['incomplete']) or '-'} |"
        )
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("width", WIDTHS)
def test_chat_page(
    page: WebDriver, site: Site, screenshots: Path, audits: list[dict], width: int
) -> None:
    set_viewport(page, width, WIDTHS[width])
    # With a Dutch voice, so that the "Lees voor" buttons are audited too.
    with speech_voices(page, [DUTCH_VOICE]):
        page.get(site.base_url + "/")
    WebDriverWait(page, WAIT).until(
        lambda d: d.find_element(By.ID, "log").get_attribute("aria-live")
    )
    results = [audit(page, screenshots, "chat", "fresh", width)]

    clarify = ask(page, "wordt het vergoed?")
    assert len(clarify.find_elements(By.CSS_SELECTOR, ".choices button")) == 2
    results.append(audit(page, screenshots, "chat", "buttons", width))

    answer = ask(page, "mag ik navelstrengbloed laten bewaren")
    assert answer.find_elements(By.CLASS_NAME, "source")
    results.append(audit(page, screenshots, "chat", "answer", width))

    answer.find_element(By.CSS_SELECTOR, ".read-aloud").click()
    results.append(audit(page, screenshots, "chat", "reading-aloud", width))

    suggestion = ask(page, UNCLEAR)
    assert "Bedoelt u" in suggestion.text
    results.append(audit(page, screenshots, "chat", "bedoelt-u", width))
    audits.extend(results)
    assert blocking(results) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_kennisbank(
    page: WebDriver, site: Site, screenshots: Path, audits: list[dict], width: int
) -> None:
    set_viewport(page, width, WIDTHS[width])
    page.get(site.base_url + "/kennisbank")
    WebDriverWait(page, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".subject")
    )
    results = [audit(page, screenshots, "kennisbank", "fresh", width)]

    assert search(page, "wordt stamceltherapie vergoed")
    results.append(audit(page, screenshots, "kennisbank", "search-results", width))
    audits.extend(results)
    assert blocking(results) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_crisis_line_stays_in_sight_and_leaves_room_to_chat(
    page: WebDriver, site: Site, screenshots: Path, width: int
) -> None:
    set_viewport(page, width, WIDTHS[width])
    page.get(site.base_url + "/")
    for question in ("wat is stamceltherapie", "mag ik navelstrengbloed laten bewaren"):
        ask(page, question)
    page.save_screenshot(str(screenshots / f"chat-header-{width}.png"))
    header = page.find_element(By.CSS_SELECTOR, ".site-header")
    crisis = header.find_element(By.CSS_SELECTOR, ".crisis")
    assert crisis.text == (
        "Somber of gedachten aan zelfdoding? Bel 113 (0800-0113, gratis)"
    )
    links = crisis.find_elements(By.TAG_NAME, "a")
    assert [(a.text, a.get_attribute("href")) for a in links] == [
        ("113", "tel:113"),
        ("0800-0113", "tel:08000113"),
    ]
    assert "112" in header.find_element(By.CSS_SELECTOR, ".notice").text
    box = page.execute_script(
        "const h = document.querySelector('.site-header').getBoundingClientRect();"
        "const c = document.querySelector('.crisis').getBoundingClientRect();"
        "const talk = document.getElementById('conversation');"
        "return {top: h.top, crisis: c.bottom, header: h.bottom,"
        " talk: talk.clientHeight, scrolled: talk.scrollTop,"
        " wide: document.documentElement.scrollWidth <= window.innerWidth};"
    )
    assert box["scrolled"] > 0  # the conversation scrolls, the header stays
    assert box["top"] == 0 and box["crisis"] <= box["header"]
    assert box["talk"] >= 0.55 * WIDTHS[width]  # room for the conversation
    assert box["wide"]  # no sideways scrolling
