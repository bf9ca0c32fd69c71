"""The curated answers against the content catalogue and the B1 writing rules."""

import datetime
import re

import pytest

from assistant.content.catalogue import (
    SOURCES,
    is_content_topic,
    response_name,
    topic_of,
)
from assistant.content.citations import cited_documents, listed_sources, matching_source
from assistant.content.readability import problems, sentences
from assistant.content.responses import body, source_line

# How each short source name in the catalogue is cited in the answers.
CITATION_OF = {
    "MS Vereniging, Stamceltherapie bij MS": "MS Vereniging Nederland, Stamceltherapie",
    "Brief minister voor Medische Zorg, 1 juni 2021": "Minister voor Medische Zorg",
    "Antwoorden minister Kuipers op Kamervragen, 28 maart 2022": "minister Kuipers",
    "NVOG-standpunt Opslaan navelstrengbloed, 10 juli 2025": "NVOG-standpunt",
    "Nota aan de minister over de Wbmv, 28 oktober 2025": "(Wbmv), 28 oktober 2025",
    "Zorginstituut Nederland, Standpunt stamceltransplantatie bij zeer actieve RRMS, "
    "13 december 2022": "Zorginstituut Nederland, Standpunt stamceltransplantatie",
    "NVN, Stamceltherapie bij MS: werkwijze in Nederland": "werkwijze in Nederland",
}
CENTRES = ["Amsterdam UMC", "St. Antonius", "Erasmus MC", "Alrijne", "Rijnstate"]
# Facts each answer must state, as words that must appear (catalogue `facts`).
KEY_FACTS = {
    "hsct_what_is": ["afweersysteem", "opnieuw instellen", "ontstekingen", "schubs"],
    "hsct_procedure": [
        "3 stappen",
        "bloed of beenmerg",
        "ingevroren",
        "chemotherapie",
        "antistoffen",
        "infuus",
    ],
    "hsct_effect": ["deel van de mensen", "geen schubs", "MRI", "stabiel", "herstel"],
    "hsct_ms_type": [
        "RRMS",
        "vroege",
        "zeer actieve",
        "progressieve",
        "niet te werken",
    ],
    "hsct_candidates": [
        "13 december 2022",
        "18 tot 55 jaar",
        "zeer actieve RRMS",
        "6 maanden",
        "NVN",
        "verwachtte",
        "jonge",
        "EDSS",
        "landelijke commissie",
        "neuroloog",
    ],
    "hsct_referral": [
        "niet zelf aanmelden",
        "eigen neuroloog",
        "andere behandelingen",
        *CENTRES,
        "second opinion",
        "landelijke indicatiecommissie",
        "St. Antonius Ziekenhuis",
    ],
    "hsct_risks": [
        "zware",
        "kleiner geworden",
        "ervaring",
        "ernstige infecties",
        "overlijdt",
    ],
    "hsct_centres": [
        "december 2022",
        "ervaring",
        "gespecialiseerd is in MS",
        "stamceltherapie",
        "Nieuwegein",
        *CENTRES,
    ],
    "hsct_availability_nl": [
        "13 december 2022",
        "kleine groep",
        "zeer actieve RRMS",
        "10 tot 20",
        "Amsterdam UMC",
        "St. Antonius",
        "alle anderen",
        "Vóór december 2022",
        "onderzoek",
    ],
    "hsct_abroad": [
        "Zweden",
        "België",
        "gespecialiseerd",
        "niet vanzelf vergoed",
        "zorgverzekeraar",
        "elke aanvraag apart",
    ],
    "hsct_abroad_trouble": ["ambassade", "consulaire hulp", "Moskou", "alarmnummer"],
    "hsct_reimbursement": [
        "13 december 2022",
        "basispakket",
        "kleine groep",
        "zeer actieve RRMS",
        "alle anderen",
        "buitenland",
        "vooraf",
        "Vóór december 2022",
        "vergelijkend onderzoek",
    ],
    "hsct_policy": [
        "13 december 2022",
        "april 2021",
        "22 april 2021",
        "Zorginstituut",
        "met neurologen en verzekeraars",
        "1 juni 2021",
        "maart 2022",
    ],
    "cordblood_own_storage": [
        "niet meer",
        "eigen gebruik",
        "buitenland",
        "Raad van State",
        "NVOG",
        "openbare navelstrengbloedbank",
        "paar centra",
    ],
    "cordblood_export": ["buitenland", "voor uzelf te bewaren", "niet meer"],
    "cordblood_why": [
        "erkende instellingen",
        "Erkend betekent",
        "30 april 2025",
        "Stamcelbank Nederland",
        "21 mei 2025",
        "IGJ",
        "verloskundigen en gynaecologen",
    ],
    "cordblood_donation": [
        "doneren",
        "openbare navelstrengbloedbank",
        "niet voor winst",
        "NVOG",
        "paar centra",
        "verloskundige of gynaecoloog",
    ],
    "cordblood_guideline": [
        "10 juli 2025",
        "werkgroep",
        "bestuur",
        "1 juni 2018",
        "30 april 2025",
        "21 mei 2025",
    ],
    "cordblood_clinic_therapy": [
        "celtherapie",
        "Wbmv",
        "vergunning",
        "recent",
        "IGJ",
        "maatregel",
        "stop",
    ],
    "wbmv_what_is": [
        "Wet op bijzondere medische verrichtingen",
        "vergunning",
        "Integraal Zorgakkoord",
        "stok achter de deur",
        "IGJ",
        "weinig doen",
        "de minister",
        "last onder dwangsom",
        "volgende kabinet",
    ],
    "helpline": [
        "(073) 553 23 25",
        "maandag tot en met vrijdag",
        "8.30",
        "17.00",
        "verloskundige of gynaecoloog",
    ],
    "goodbye": ["(073) 553 23 25", "navelstrengbloed", "verloskundige of gynaecoloog"],
    "emergency": [
        "112",
        "huisarts",
        "huisartsenpost",
        "ziekenhuis waar u behandeld bent",
        "113 Zelfmoordpreventie",
        "0800-0113",
        "gratis",
        "dag en nacht",
        "113.nl",
    ],
}
# Claims that were true before 13 December 2022 and must never be stated as today's.
OUTDATED_CLAIMS = [
    r"wordt (nu |momenteel )?niet vergoed in Nederland",
    r"\bnu niet vergoed",
    r"(gebeurt|kan|is) (het )?(nu )?alleen binnen wetenschappelijk onderzoek",
    r"alleen in onderzoeksverband",
    r"neurologen willen (eerst )?",
    r"werken (momenteel )?uit (wanneer|onder welke)",
    r"wordt (nog )?niet gegeven",
]
# Present-tense verbs: a sentence dated before December 2022 must not use them for
# the situation it describes.
_OLD_DATE = re.compile(
    r"\b(20[01]\d|2021|(januari|februari|maart|april|mei|juni|juli|"
    r"augustus|september|oktober|november) 2022)\b"
)
_PRESENT = re.compile(r"\b(is|wordt|zijn|worden|kan|mag|geldt|gebeurt)\b")
_INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jullie|jezelf)\b", re.IGNORECASE)
# Terms a B1 reader may not know: each answer that uses one explains it (or avoids it).
JARGON = {
    "RRMS": r"aanvallen",
    "progressieve": r"progressieve MS wordt|geleidelijk erger",
    "beroepsvereniging": None,
    "ronde tafel": None,
    "leidraad": None,
    "celtherapie": r"heet celtherapie|celtherapie is",
    "Integraal Zorgakkoord": r"akkoord tussen",
    "erkenning": r"Erkend betekent",
}
HELPLINE_NUMBER = "(073) 553 23 25"


def text_of(domain, topic):
    return domain["responses"][response_name(topic)][0]["text"]


def all_texts(domain):
    for name, variants in domain["responses"].items():
        for variant in variants:
            yield name, variant.get("text", "")


def content_topics(catalogue):
    return [t for t in catalogue if is_content_topic(t["id"])]


def test_every_topic_has_exactly_one_response(domain, catalogue):
    names = domain["responses"].keys()
    for topic in catalogue:
        matches = [n for n in names if topic_of(n) == topic["id"]]
        assert len(matches) == 1, f"{topic['id']}: {matches}"


def test_content_answers_cite_the_catalogue_sources(domain, catalogue):
    for topic in content_topics(catalogue):
        line = source_line(text_of(domain, topic["id"]))
        assert line, f"{topic['id']} cites no source"
        for source in topic["source"].split("; "):
            assert CITATION_OF[source] in line, f"{topic['id']} does not cite {source}"


def test_citations_are_sources_the_readme_lists_with_their_dates(
    domain, sources_readme
):
    listed = listed_sources(sources_readme)
    assert len(listed) >= 7
    for name, text in all_texts(domain):
        line = source_line(text)
        for cited in cited_documents(line or ""):
            assert matching_source(cited, listed), f"{name} cites unlisted {cited!r}"


def test_the_sources_answer_lists_every_readme_source(domain, sources_readme):
    items = [
        line[2:] for line in text_of(domain, "sources").splitlines() if line[:2] == "- "
    ]
    listed = listed_sources(sources_readme)
    found = {matching_source(item, listed) for item in items}
    assert found == set(listed)


def test_an_unlisted_citation_is_caught(sources_readme):
    listed = listed_sources(sources_readme)
    assert (
        matching_source("Gezondheidsraad, Advies over stamcellen, 2021", listed) is None
    )
    assert (
        matching_source("NVOG-standpunt Opslaan navelstrengbloed, 1 juni 2018", listed)
        is None
    )


def test_every_content_answer_records_when_it_was_checked(domain, catalogue):
    today = datetime.date.today()
    for topic in content_topics(catalogue):
        variant = domain["responses"][response_name(topic["id"])][0]
        checked = (variant.get("metadata") or {}).get("checked")
        assert checked, f"{topic['id']} has no metadata.checked date"
        assert datetime.date.fromisoformat(str(checked)) <= today, topic["id"]


@pytest.mark.parametrize("pattern", OUTDATED_CLAIMS)
def test_no_answer_states_an_outdated_situation(domain, pattern):
    for name, text in all_texts(domain):
        assert not re.search(pattern, text, re.IGNORECASE), f"{name}: {pattern}"


def test_no_answer_describes_the_situation_before_december_2022_in_present_tense(
    domain,
):
    for name, text in all_texts(domain):
        for sentence in sentences(body(text)):
            if _OLD_DATE.search(sentence) and "Sinds" not in sentence:
                assert not _PRESENT.search(sentence), f"{name}: {sentence!r}"


@pytest.mark.parametrize("topic", ["hsct_reimbursement", "hsct_availability_nl"])
def test_status_answers_say_since_december_2022(domain, topic):
    assert re.search(r"[Ss]inds 13 december 2022", text_of(domain, topic))


def test_every_answer_uses_one_form_of_address(domain):
    for name, text in all_texts(domain):
        assert not _INFORMAL.search(text), f"{name} says 'je/jij' instead of 'u'"


def test_no_word_written_twice(domain):
    for name, text in all_texts(domain):
        assert not re.search(r"\b(\w+) \1\b", text, re.IGNORECASE), name


@pytest.mark.parametrize("term", sorted(JARGON))
def test_jargon_is_explained_or_avoided(domain, term):
    for name, text in all_texts(domain):
        if topic_of(name) == SOURCES:  # a list of document titles
            continue
        if re.search(rf"\b{term}\b", body(text), re.IGNORECASE):
            explanation = JARGON[term]
            assert explanation and re.search(explanation, text), f"{name}: {term}"


def test_the_crisis_answer_gives_112_and_113(domain):
    text = text_of(domain, "emergency")
    assert "112" in text and "113" in text and "0800-0113" in text


@pytest.mark.parametrize("topic", sorted(KEY_FACTS))
def test_answers_state_their_key_facts(domain, topic):
    text = text_of(domain, topic)
    missing = [fact for fact in KEY_FACTS[topic] if fact not in text]
    assert not missing, f"{topic} misses {missing}"


def test_every_content_topic_has_key_facts_listed(catalogue):
    assert {t["id"] for t in content_topics(catalogue)} <= set(KEY_FACTS)


def test_answers_meet_b1_limits(domain):
    for name, variants in domain["responses"].items():
        for variant in variants:
            found = problems(body(variant["text"]))
            assert not found, f"{name}: {found}"


def test_phone_numbers_are_the_helpline_or_emergency_numbers(domain):
    allowed = {HELPLINE_NUMBER, "0800-0113"}
    for name, variants in domain["responses"].items():
        for number in re.findall(
            r"\(?0\d{2,3}\)?[ -]?\d[\d ]{5,}\d", variants[0]["text"]
        ):
            assert number.strip() in allowed, f"{name}: {number}"


def test_referrals_name_a_person_to_ask(domain):
    for topic in ("out_of_scope", "fallback", "personal_advice", "not_in_sources"):
        text = text_of(domain, topic)
        assert re.search(r"neuroloog|huisarts|verloskundige|MS Vereniging", text), topic
