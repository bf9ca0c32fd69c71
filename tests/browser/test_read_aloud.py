"""The "Lees voor" button: the browser's own Dutch voice reads an answer aloud.

Headless Chromium has no voices, so each test loads the chat page with a fake
speechSynthesis (tests.server.support.speech_voices) that records what it would say.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_browser import WAIT, ask, button
from tests.server.support import DUTCH_VOICE, Site, speech_voices


def open_chat(driver: WebDriver, site: Site, voices: list[dict]) -> WebDriver:
    with speech_voices(driver, voices):
        driver.get(site.base_url + "/")
    return driver


def read_aloud_buttons(scope: WebElement | WebDriver) -> list[WebElement]:
    return scope.find_elements(By.CSS_SELECTOR, ".read-aloud")


def answer_text(answer: WebElement) -> str:
    """The answer's own text, as in the page (textContent, not layout text)."""
    return answer.find_element(By.CLASS_NAME, "text").get_attribute("textContent")


def spoken(driver: WebDriver) -> list[str]:
    return driver.execute_script("return window.__spoken")


def speech_status(driver: WebDriver) -> str:
    return driver.find_element(By.ID, "speech-status").get_attribute("textContent")


def tab_back_to(driver: WebDriver, target: WebElement) -> None:
    """Press Shift+Tab from the question field until `target` has the focus."""
    driver.find_element(By.ID, "question").click()
    for _ in range(10):
        driver.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB)
        if driver.switch_to.active_element == target:
            return
    raise AssertionError("the read-aloud button is not reachable with the keyboard")


def test_reads_the_answer_without_its_source_and_is_keyboard_operable(
    page: WebDriver, site: Site
) -> None:
    open_chat(page, site, [DUTCH_VOICE])
    answer = ask(page, "mag ik navelstrengbloed laten bewaren")
    source = answer.find_element(By.CLASS_NAME, "source").text
    assert source.startswith("Bron:")
    [read] = read_aloud_buttons(answer)
    assert read.tag_name == "button" and read.is_displayed()
    assert read.accessible_name == "Lees voor: dit antwoord"
    assert read.get_attribute("aria-pressed") == "false"
    requests_before = page.execute_script(
        "return performance.getEntriesByType('resource').length"
    )

    tab_back_to(page, read)
    page.switch_to.active_element.send_keys(Keys.ENTER)
    text = answer_text(answer)
    assert "niet meer laten bewaren" in text
    assert spoken(page) == [text]
    assert "Bron:" not in spoken(page)[0] and source not in spoken(page)[0]
    assert "Lees voor" not in spoken(page)[0]
    utterance = page.execute_script("return window.__utterances[0]")
    assert utterance["lang"] == "nl-NL" and utterance["voice"]["lang"] == "nl-NL"
    assert read.get_attribute("aria-pressed") == "true"
    assert speech_status(page) == "Voorlezen gestart."

    page.switch_to.active_element.send_keys(Keys.SPACE)  # pressing again stops
    assert read.get_attribute("aria-pressed") == "false"
    assert speech_status(page) == "Voorlezen gestopt."
    assert len(spoken(page)) == 1

    page.switch_to.active_element.send_keys(Keys.SPACE)  # and starts again
    assert spoken(page) == [text, text]
    assert read.get_attribute("aria-pressed") == "true"
    page.execute_script("window.__finishSpeaking()")
    assert read.get_attribute("aria-pressed") == "false"
    assert speech_status(page) == "Voorlezen klaar."
    assert page.switch_to.active_element == read
    # Nothing was fetched for reading aloud: the text stays in the browser.
    assert (
        page.execute_script("return performance.getEntriesByType('resource').length")
        == requests_before
    )


def test_reads_a_question_without_the_button_labels(
    page: WebDriver, site: Site
) -> None:
    open_chat(page, site, [DUTCH_VOICE])
    clarify = ask(page, "wordt het vergoed?")
    choice = button(clarify, "Stamceltherapie bij MS")
    read_aloud_buttons(clarify)[0].click()
    [said] = spoken(page)
    assert said == answer_text(clarify)
    assert said.startswith("Bedoelt u")
    for label in (choice.text, "Navelstrengbloed", "Lees voor"):
        assert label not in said


def test_reading_another_answer_stops_the_first(page: WebDriver, site: Site) -> None:
    open_chat(page, site, [DUTCH_VOICE])
    first = ask(page, "wat is stamceltherapie")
    second = ask(page, "mag ik navelstrengbloed laten bewaren")
    one, two = read_aloud_buttons(first)[0], read_aloud_buttons(second)[0]
    one.click()
    two.click()
    assert spoken(page) == [answer_text(first), answer_text(second)]
    assert one.get_attribute("aria-pressed") == "false"
    assert two.get_attribute("aria-pressed") == "true"
    button(page, "Nieuw gesprek").click()  # a new conversation stops reading aloud
    assert speech_status(page) == "Voorlezen gestopt."


@pytest.mark.parametrize(
    "voices",
    [
        [],
        [{"name": "English", "lang": "en-US", "localService": True}],
        # A Dutch voice in the cloud would send the text away: not used.
        [{"name": "Nederlands online", "lang": "nl-NL", "localService": False}],
    ],
    ids=["no-voices", "no-dutch-voice", "only-an-online-dutch-voice"],
)
def test_no_button_without_a_dutch_voice(
    page: WebDriver, site: Site, voices: list[dict]
) -> None:
    open_chat(page, site, voices)
    answer = ask(page, "mag ik navelstrengbloed laten bewaren")
    assert not [b for b in read_aloud_buttons(answer) if b.is_displayed()]
    assert "Lees voor" not in answer.text


def test_no_button_in_headless_chromium_without_voices(
    page: WebDriver, site: Site
) -> None:
    # The real speechSynthesis of headless Chromium, which has no voice at all.
    page.get(site.base_url + "/")
    answer = ask(page, "mag ik navelstrengbloed laten bewaren")
    assert not [b for b in read_aloud_buttons(answer) if b.is_displayed()]


def test_button_appears_when_the_voices_have_loaded(
    page: WebDriver, site: Site
) -> None:
    open_chat(page, site, [])  # voices load asynchronously in real browsers
    answer = ask(page, "mag ik navelstrengbloed laten bewaren")
    [read] = read_aloud_buttons(answer)
    assert not read.is_displayed()
    other = {"name": "Vlaams", "lang": "nl-BE", "localService": True}
    page.execute_script("window.__setVoices(arguments[0])", [other, DUTCH_VOICE])
    WebDriverWait(page, WAIT).until(lambda d: read.is_displayed())
    read.click()
    voice = page.execute_script("return window.__utterances[0].voice")
    assert voice["lang"] == "nl-NL"  # nl-NL is preferred over other Dutch voices
