"""The curated answers against the content catalogue and the B1 writing rules."""

import re

import pytest

from assistant.readability import problems
from assistant.responses import body, source_line

CONVERSATION = {
    "greet",
    "goodbye",
    "thanks",
    "bot_challenge",
    "scope",
    "personal_advice",
    "emergency",
    "clarify",
    "out_of_scope",
    "sources",
}
# How each short source name in the catalogue is cited in the answers.
CITATION_OF = {
    "MS Vereniging, Stamceltherapie bij MS": "MS Vereniging Nederland, Stamceltherapie",
    "Brief minister voor Medische Zorg, 1 juni 2021": "Minister voor Medische Zorg",
    "Antwoorden minister Kuipers op Kamervragen, 28 maart 2022": "minister Kuipers",
    "NVOG-standpunt Opslaan navelstrengbloed, 10 juli 2025": "NVOG-standpunt",
    "Nota aan de minister over de Wbmv, 28 oktober 2025": "over de Wbmv",
}
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
        "NVN",
        "sterkste MS-medicijnen",
        "jonge",
        "EDSS",
        "team van verschillende specialisten",
        "neuroloog",
    ],
    "hsct_risks": [
        "zware",
        "kleiner geworden",
        "ervaring",
        "ernstige infecties",
        "overlijdt",
    ],
    "hsct_centres": ["ervaring", "gespecialiseerd is in MS", "stamceltherapie"],
    "hsct_availability_nl": [
        "beperkt",
        "onderzoek",
        "niet vergoed",
        "bewezen",
        "internationaal vergelijkend onderzoek",
    ],
    "hsct_abroad": ["Zweden", "België", "gespecialiseerd"],
    "hsct_abroad_trouble": ["ambassade", "consulaire hulp", "Moskou", "alarmnummer"],
    "hsct_reimbursement": [
        "niet vergoed",
        "vergelijkend onderzoek",
        "basispakket",
        "NVN",
        "Zorgverzekeraars Nederland",
        "elke aanvraag apart",
    ],
    "hsct_policy": [
        "april 2021",
        "22 april 2021",
        "Zorginstituut",
        "basisverzekering",
        "1 juni 2021",
        "maart 2022",
    ],
    "cordblood_own_storage": ["niet meer", "eigen gebruik", "Raad van State", "NVOG"],
    "cordblood_export": ["buitenland", "niet meer"],
    "cordblood_why": [
        "erkende instellingen",
        "30 april 2025",
        "Stamcelbank Nederland",
        "21 mei 2025",
        "IGJ",
        "verloskundigen en gynaecologen",
    ],
    "cordblood_donation": [
        "doneren",
        "openbare",
        "niet voor winst",
        "NVOG",
        "paar centra",
        "verloskundige of gynaecoloog",
    ],
    "cordblood_guideline": ["10 juli 2025", "werkgroep", "bestuur", "1 juni 2018"],
    "cordblood_clinic_therapy": ["Wbmv", "vergunning", "2025", "IGJ", "stop"],
    "wbmv_what_is": [
        "Wet op bijzondere medische verrichtingen",
        "vergunning",
        "Integraal Zorgakkoord",
        "stok achter de deur",
        "IGJ",
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
}
HELPLINE_NUMBER = "(073) 553 23 25"


def text_of(domain, topic):
    return domain["responses"][f"utter_{topic}"][0]["text"]


def content_topics(catalogue):
    return [t for t in catalogue if t["id"] not in CONVERSATION]


def test_every_topic_has_exactly_one_response(domain, catalogue):
    names = domain["responses"].keys()
    for topic in catalogue:
        matches = [n for n in names if n.split("/")[-1] == f"utter_{topic['id']}"]
        assert len(matches) == 1, f"{topic['id']}: {matches}"


def test_content_answers_cite_the_catalogue_sources(domain, catalogue):
    for topic in content_topics(catalogue):
        line = source_line(text_of(domain, topic["id"]))
        assert line, f"{topic['id']} cites no source"
        for source in topic["source"].split("; "):
            assert CITATION_OF[source] in line, f"{topic['id']} does not cite {source}"


def test_citations_are_the_listed_sources_with_their_dates(domain, sources_readme):
    listed = [
        line[2:]
        for line in text_of(domain, "sources").splitlines()
        if line.startswith("- ")
    ]
    assert len(listed) == 5
    for citation in listed:
        date = re.search(r"\d{1,2} \w+ \d{4}|zonder datum", citation)
        assert date, f"{citation} has no date"
    for name, variants in domain["responses"].items():
        line = source_line(variants[0]["text"])
        if line:
            for cited in line.removeprefix("Bron:").split(";"):
                assert cited.strip() in listed, f"{name} cites unknown {cited!r}"


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
