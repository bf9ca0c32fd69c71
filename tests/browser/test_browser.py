"""The chat page and the kennisbank in headless Chromium, against the real servers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests.server.support import Site, request, set_viewport

WAIT = 30  # seconds for one answer


def bot_messages(driver: WebDriver) -> list[WebElement]:
    return driver.find_elements(By.CSS_SELECTOR, "#log .msg.bot")


def loaded(driver: WebDriver) -> None:
    """Wait until the page has shown the conversation so far (or the greeting)."""
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_element(By.ID, "log").get_attribute("aria-live")
    )


def ask(driver: WebDriver, text: str) -> WebElement:
    """Type a question, press Enter and return the first new bot message."""
    loaded(driver)
    before = len(bot_messages(driver))
    field = driver.find_element(By.ID, "question")
    field.send_keys(text)
    field.send_keys(Keys.ENTER)
    WebDriverWait(driver, WAIT).until(lambda d: len(bot_messages(d)) > before)
    return bot_messages(driver)[before]


def click_and_wait(driver: WebDriver, button: WebElement) -> WebElement:
    before = len(bot_messages(driver))
    button.click()
    WebDriverWait(driver, WAIT).until(lambda d: len(bot_messages(d)) > before)
    return bot_messages(driver)[before]


def button(scope: WebElement | WebDriver, text: str) -> WebElement:
    for candidate in scope.find_elements(By.TAG_NAME, "button"):
        if candidate.text.strip() == text:
            return candidate
    raise AssertionError(f"no button {text!r}")


def assert_no_alert(driver: WebDriver) -> None:
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - reading it probes for an alert


def feedback_rows(site: Site) -> list[tuple]:
    with sqlite3.connect(site.database) as db:
        return db.execute("SELECT topic, useful, created FROM feedback").fetchall()


# A message the model is unsure about (checked against the trained model): the answer
# is "Bedoelt u een van deze vragen?" with the likely topics as buttons.
UNCLEAR = "hoe zit het met de indicatie"


def welcome(driver: WebDriver) -> WebElement:
    """Return the greeting a new conversation opens with."""
    WebDriverWait(driver, WAIT).until(lambda d: bot_messages(d))
    return bot_messages(driver)[0]


def test_a_new_conversation_offers_the_most_asked_questions(page: WebDriver) -> None:
    greeting = welcome(page)
    titles = [
        b.text for b in greeting.find_elements(By.CSS_SELECTOR, ".choices button")
    ]
    for title in (
        "Wat is stamceltherapie bij MS?",
        "Werkt stamceltherapie?",
        "Wat zijn de risico's?",
        "Wordt stamceltherapie vergoed?",
        "Hoe word ik aangemeld?",
        "Mag ik navelstrengbloed laten bewaren?",
        "Kan ik navelstrengbloed doneren?",
        "Waarom mag bewaren niet meer?",
    ):
        assert title in titles
    assert page.find_element(By.ID, "question").is_enabled()  # free text still works


def test_start_answer_follow_up_answer(page: WebDriver) -> None:
    answer = click_and_wait(
        page, button(welcome(page), "Wordt stamceltherapie vergoed?")
    )
    assert "Sinds 13 december 2022" in answer.find_element(By.CLASS_NAME, "text").text
    assert answer.find_element(By.CLASS_NAME, "source").text.startswith("Bron:")
    follow_ups = [
        b.text for b in answer.find_elements(By.CSS_SELECTOR, ".choices button")
    ]
    assert follow_ups == ["Hoe word ik aangemeld?", "In welke ziekenhuizen?"]
    second = click_and_wait(page, button(answer, "Hoe word ik aangemeld?"))
    assert "landelijke indicatiecommissie" in second.text
    assert second.find_element(By.CLASS_NAME, "source").text.startswith("Bron:")
    users = [
        u.text for u in page.find_elements(By.CSS_SELECTOR, "#log .msg.user .text")
    ]
    assert users == ["Wordt stamceltherapie vergoed?", "Hoe word ik aangemeld?"]


def test_unclear_message_asks_bedoelt_u_and_a_click_gives_the_answer(
    page: WebDriver, site: Site
) -> None:
    suggestion = ask(page, UNCLEAR)
    assert "Bedoelt u een van deze vragen?" in suggestion.text
    titles = [
        b.text for b in suggestion.find_elements(By.CSS_SELECTOR, ".choices button")
    ]
    assert 3 <= len(titles) <= 4 and titles[-1] == "Iets anders"
    assert "Hoe word ik aangemeld?" in titles
    answer = click_and_wait(page, button(suggestion, "Hoe word ik aangemeld?"))
    status, _, body = request(site, "/webhooks/web/answers")
    expected = next(
        a
        for group in body["groups"]
        for a in group["answers"]
        if a["topic"] == "hsct_referral"
    )
    assert answer.find_element(By.CLASS_NAME, "text").text == expected["body"]
    assert answer.find_element(By.CLASS_NAME, "source").text == expected["source"]


def test_something_else_gives_the_helpline_with_today_s_hours(page: WebDriver) -> None:
    suggestion = ask(page, UNCLEAR)
    answer = click_and_wait(page, button(suggestion, "Iets anders"))
    assert "(073) 553 23 25" in answer.text
    assert "De telefoonlijn is" in answer.text


def test_answer_shows_its_source(page: WebDriver) -> None:
    answer = ask(page, "mag ik navelstrengbloed laten bewaren")
    assert "niet meer laten bewaren" in answer.find_element(By.CLASS_NAME, "text").text
    source = answer.find_element(By.CLASS_NAME, "source").text
    assert source.startswith("Bron: NVOG-standpunt")
    assert "Bron:" not in answer.find_element(By.CLASS_NAME, "text").text


def test_clarify_button_answers_the_pending_question(page: WebDriver) -> None:
    clarify = ask(page, "wordt het vergoed?")
    choice = button(clarify, "Stamceltherapie bij MS")
    assert choice.tag_name == "button"
    answer = click_and_wait(page, choice)
    assert "Sinds 13 december 2022" in answer.text
    assert answer.find_element(By.CLASS_NAME, "source").text.startswith("Bron:")
    users = page.find_elements(By.CSS_SELECTOR, "#log .msg.user .text")
    assert users[-1].text == "Stamceltherapie bij MS"  # the title, not the payload
    assert not choice.is_enabled()  # an answered choice cannot be sent twice


def test_keyboard_only(page: WebDriver) -> None:
    body = page.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    assert page.switch_to.active_element.text == "Direct naar het invoerveld"
    page.switch_to.active_element.send_keys(Keys.ENTER)
    page.switch_to.active_element.send_keys("wordt het vergoed?" + Keys.ENTER)
    WebDriverWait(page, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".choices button")
    )
    # Shift+Tab from the field reaches the last choice button of the answer.
    for _ in range(10):
        page.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB)
        if page.switch_to.active_element.text == "Navelstrengbloed":
            break
    before = len(bot_messages(page))
    page.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(page, WAIT).until(lambda d: len(bot_messages(d)) > before)
    assert "navelstrengbloed" in bot_messages(page)[-1].text.lower()


def test_feedback_is_stored_with_topic_and_time_only(
    page: WebDriver, site: Site
) -> None:
    before = len(feedback_rows(site))
    answer = ask(page, "mag ik navelstrengbloed laten bewaren")
    group = answer.find_element(By.CLASS_NAME, "feedback")
    assert "Had u hier iets aan?" in group.text
    button(group, "👍 Ja").click()
    WebDriverWait(page, WAIT).until(lambda d: "Bedankt voor uw reactie." in group.text)
    rows = feedback_rows(site)
    assert len(rows) == before + 1
    topic, useful, created = rows[-1]
    assert (topic, useful) == ("cordblood_own_storage", 1)
    assert created.endswith("Z")
    with sqlite3.connect(site.database) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(feedback)")}
    assert columns == {"id", "topic", "useful", "created"}
    page.refresh()  # a rated answer does not ask again after a reload
    WebDriverWait(page, WAIT).until(lambda d: bot_messages(d))
    assert not page.find_elements(By.CSS_SELECTOR, "#log .feedback")


def test_no_feedback_question_after_a_non_content_answer(page: WebDriver) -> None:
    answer = ask(page, "hallo")
    assert not answer.find_elements(By.CLASS_NAME, "feedback")


def test_markup_is_shown_as_text(page: WebDriver) -> None:
    attack = "<img src=x onerror=alert(1)>"
    ask(page, attack)
    users = page.find_elements(By.CSS_SELECTOR, "#log .msg.user .text")
    assert users[-1].text == attack
    assert not page.find_elements(By.CSS_SELECTOR, "#log img")
    assert_no_alert(page)
    page.refresh()  # the history is rendered as text too
    WebDriverWait(page, WAIT).until(lambda d: bot_messages(d))
    assert page.find_elements(By.CSS_SELECTOR, "#log .msg.user .text")[-1].text == (
        attack
    )
    assert not page.find_elements(By.CSS_SELECTOR, "#log img")
    assert_no_alert(page)


def test_reload_keeps_the_conversation_and_new_starts_afresh(
    page: WebDriver,
) -> None:
    ask(page, "wat zijn de risico's van stamceltherapie")
    texts = [m.text for m in page.find_elements(By.CSS_SELECTOR, "#log .msg")]
    sender = page.execute_script("return localStorage.getItem('stamcel.sender')")
    page.refresh()
    WebDriverWait(page, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".msg"))
    assert [m.text for m in page.find_elements(By.CSS_SELECTOR, "#log .msg")] == texts
    assert page.find_element(By.ID, "log").get_attribute("aria-live") == "polite"

    button(page, "Nieuw gesprek").click()
    assert page.execute_script("return localStorage.getItem('stamcel.sender')") != (
        sender
    )
    WebDriverWait(page, WAIT).until(lambda d: len(bot_messages(d)) == 1)
    assert "Hallo!" in bot_messages(page)[0].text  # only the new greeting
    assert not page.find_elements(By.CSS_SELECTOR, "#log .msg.user")
    page.refresh()
    WebDriverWait(page, WAIT).until(
        lambda d: d.find_element(By.ID, "log").get_attribute("aria-live")
    )
    assert len(bot_messages(page)) == 1 and "Hallo!" in bot_messages(page)[0].text


def test_unreachable_server_keeps_what_was_typed(page: WebDriver) -> None:
    question = "wat is de wbmv"
    loaded(page)  # the greeting is there; the question then fails to go out
    set_offline(page, True)
    try:
        field = page.find_element(By.ID, "question")
        field.send_keys(question + Keys.ENTER)
        problem = page.find_element(By.ID, "problem")
        WebDriverWait(page, WAIT).until(lambda d: problem.is_displayed())
        assert "niet bereikbaar" in problem.text
        assert field.get_attribute("value") == question
        assert not page.find_elements(By.CSS_SELECTOR, "#log .msg.user")
    finally:
        set_offline(page, False)
    button(problem, "Opnieuw proberen").click()
    WebDriverWait(page, WAIT).until(lambda d: len(bot_messages(d)) > 1)
    assert "Wet op bijzondere medische verrichtingen" in bot_messages(page)[1].text
    assert not problem.is_displayed()
    assert field.get_attribute("value") == ""


def test_notice_and_helpline_stay_visible_at_360_px(page: WebDriver) -> None:
    set_viewport(page, 360, 740)
    page.refresh()
    for question in ("wat is stamceltherapie", "hoe gaat de behandeling", "risico's"):
        ask(page, question)
    header = page.find_element(By.CSS_SELECTOR, ".site-header")
    assert "Dit is een automatische assistent, geen arts." in header.text
    phone = header.find_element(By.CSS_SELECTOR, "a.phone")
    assert phone.text == "(073) 553 23 25"
    assert phone.get_attribute("href") == "tel:+31735532325"
    top = page.execute_script("return arguments[0].getBoundingClientRect().top", phone)
    assert 0 <= top < 200
    assert page.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"
    )


def test_page_runs_under_the_csp_without_errors(page: WebDriver) -> None:
    ask(page, "hallo")
    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert [e for e in errors if "favicon" not in e["message"]] == []


def test_link_scheme_check_in_the_page(page: WebDriver) -> None:
    checks = page.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "import('/webhooks/web/static/common.js').then((m) => done(["
        "  'https://www.msvereniging.nl', 'mailto:info@example.org',"
        "  'tel:+31735532325',"
        "  'javascript:alert(1)', 'data:text/html,x', 'JaVaScRiPt:alert(1)',"
        "  ' https://x.nl', 'vbscript:x', 'https:'"
        "].map(m.isSafeHref)));"
    )
    assert checks == [True, True, True, False, False, False, False, False, False]


def search(driver: WebDriver, question: str) -> list[WebElement]:
    field = driver.find_element(By.ID, "q")
    field.clear()
    field.send_keys(question + Keys.ENTER)
    WebDriverWait(driver, WAIT).until(
        lambda d: "beste antwoorden" in d.find_element(By.ID, "search-status").text
    )
    return driver.find_elements(By.CSS_SELECTOR, "#results .result")


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        (
            "kan ik het bloed uit de navelstreng laten opslaan voor later",
            "cordblood_own_storage",
        ),
        ("hoe gevaarlijk is een stamceltransplantatie", "hsct_risks"),
        ("wat betekent de wet bijzondere medische verrichtingen", "wbmv_what_is"),
    ],
)
def test_staff_search_ranks_the_right_topic_first(
    page: WebDriver, site: Site, question: str, topic: str
) -> None:
    page.get(site.base_url + "/kennisbank")
    results = search(page, question)
    assert 1 <= len(results) <= 3
    first = results[0].find_element(By.CSS_SELECTOR, ".answer")
    assert first.get_attribute("data-topic") == topic
    assert first.find_element(By.CLASS_NAME, "source").text.startswith("Bron:")


def test_staff_search_shows_both_subjects_for_a_context_question(
    page: WebDriver, site: Site
) -> None:
    page.get(site.base_url + "/kennisbank")
    first = search(page, "wordt het vergoed")[0]
    topics = [
        a.get_attribute("data-topic")
        for a in first.find_elements(By.CSS_SELECTOR, ".answer")
    ]
    assert topics == ["hsct_reimbursement", "not_in_sources"]
    assert "Stamceltherapie bij MS" in first.text and "Navelstrengbloed" in first.text


def test_kennisbank_lists_every_answer_by_subject(page: WebDriver, site: Site) -> None:
    page.get(site.base_url + "/kennisbank")
    WebDriverWait(page, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".subject")
    )
    headings = [h.text for h in page.find_elements(By.CSS_SELECTOR, ".subject h2")]
    assert [h.split(" (")[0] for h in headings] == [
        "Stamceltherapie bij MS",
        "Navelstrengbloed",
        "Algemeen",
    ]
    storage = page.find_element(
        By.CSS_SELECTOR, "#catalogue [data-topic='cordblood_own_storage']"
    )
    assert storage.find_element(By.CLASS_NAME, "source").text == (
        "Bron: NVOG-standpunt Opslaan navelstrengbloed, 10 juli 2025"
    )
    assert storage.find_element(By.CLASS_NAME, "checked").text.startswith(
        "Laatst gecontroleerd: "
    )
    referral = page.find_element(
        By.CSS_SELECTOR,
        "#onderwerp-stamceltherapie-bij-ms [data-topic='hsct_referral']",
    )
    assert "landelijke indicatiecommissie" in referral.text
    wbmv = page.find_element(
        By.CSS_SELECTOR, "#onderwerp-navelstrengbloed [data-topic='wbmv_what_is']"
    )
    assert wbmv.is_displayed()


def test_copy_button(page: WebDriver, site: Site) -> None:
    page.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )
    page.get(site.base_url + "/kennisbank")
    copy = WebDriverWait(page, WAIT).until(
        lambda d: d.find_elements(
            By.CSS_SELECTOR, "[data-topic='hsct_risks'] button.copy"
        )
    )[0]
    copy.click()
    WebDriverWait(page, WAIT).until(lambda d: copy.text == "Gekopieerd ✓")
    copied = page.execute_async_script(
        "navigator.clipboard.readText().then(arguments[arguments.length - 1]);"
    )
    assert copied.startswith("Stamceltherapie is een zware en heftige behandeling.")
    assert copied.rstrip().endswith("(webpagina, zonder datum)")


def test_staff_view_needs_the_token(page: WebDriver, site: Site) -> None:
    page.get(site.base_url + "/")
    markup = "<img src=x onerror=alert(1)> wat is het weerbericht voor morgen"
    ask(page, markup)  # unanswered: stored de-identified
    page.get(site.base_url + "/kennisbank")
    status = page.find_element(By.ID, "staff-status")
    token = page.find_element(By.ID, "token")
    token.send_keys("wrong-token" + Keys.ENTER)
    WebDriverWait(page, WAIT).until(lambda d: "Geen toegang" in status.text)
    assert not page.find_elements(By.CSS_SELECTOR, "#staff-report table")

    token.clear()
    token.send_keys(site.staff_token + Keys.ENTER)
    WebDriverWait(page, WAIT).until(lambda d: "geladen" in status.text)
    tables = page.find_elements(By.CSS_SELECTOR, "#staff-report table")
    assert len(tables) == 2
    assert markup in tables[0].text
    assert not page.find_elements(By.CSS_SELECTOR, "#staff-report img")
    assert_no_alert(page)


def set_offline(driver: WebDriver, offline: bool) -> None:
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": offline, "latency": 0}
        | {"downloadThroughput": -1, "uploadThroughput": -1},
    )


def png_width(path: Path) -> int:
    """Return the width in pixels of a PNG file (from its IHDR header)."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return int.from_bytes(header[16:20], "big")


def shot(page: WebDriver, screenshots: Path, name: str, width: int) -> None:
    """Save a screenshot and check it is a PNG of the viewport's width."""
    path = screenshots / name
    page.save_screenshot(str(path))
    assert png_width(path) == width


@pytest.mark.parametrize("width", [1280, 360])
def test_screenshots_of_each_state(
    page: WebDriver, site: Site, screenshots: Path, width: int
) -> None:
    set_viewport(page, width, 800 if width > 600 else 740)
    page.refresh()
    clarify = ask(page, "wordt het vergoed?")
    click_and_wait(page, button(clarify, "Stamceltherapie bij MS"))
    answer = ask(page, "mag ik navelstrengbloed laten bewaren")
    assert "navelstrengbloed" in answer.text.lower() and "Bron:" in answer.text
    assert answer.find_elements(By.TAG_NAME, "button"), "no follow-up buttons"
    shot(page, screenshots, f"chat-{width}.png", width)
    set_offline(page, True)
    try:
        page.find_element(By.ID, "question").send_keys("en in het buitenland?\n")
        WebDriverWait(page, WAIT).until(
            lambda d: d.find_element(By.ID, "problem").is_displayed()
        )
        assert page.find_element(By.ID, "problem").text.strip()
        assert page.find_element(By.ID, "question").get_attribute("value")
        shot(page, screenshots, f"chat-offline-{width}.png", width)
    finally:
        set_offline(page, False)

    page.get(site.base_url + "/kennisbank")
    results = search(page, "kan ik navelstrengbloed weggeven")
    assert results and "doneren" in results[0].text.lower()
    shot(page, screenshots, f"kennisbank-{width}.png", width)
    page.find_element(By.ID, "token").send_keys(site.staff_token + Keys.ENTER)
    status = page.find_element(By.ID, "staff-status")
    WebDriverWait(page, WAIT).until(lambda d: "geladen" in status.text)
    page.execute_script("document.getElementById('beheer').scrollIntoView()")
    shot(page, screenshots, f"kennisbank-staff-{width}.png", width)
