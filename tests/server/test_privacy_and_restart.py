"""What a user types is stored de-identified only; a restart loses no context."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.server.support import Site, request, stored_events, texts
from tests.servers import START_TIMEOUT

PERSONAL = (
    "Ik ben Pieter Jansen, geboren op 12-03-1980, BSN 111222333. Mijn telefoon is "
    "06-12345678 en mijn mail pieter.jansen@example.org. Ik woon op de "
    "Kerkstraat 12, 3511 AB Utrecht. {question}"
)
QUESTIONS = {
    "web": "Werkt acupunctuur tegen migraine?",  # unanswered: kept for the staff
    "rest": "Wordt het vergoed?",  # needs the action server, which gets the tracker
}
SECRETS = [
    "Pieter",
    "Jansen",
    "12-03-1980",
    "111222333",
    "12345678",
    "pieter.jansen",
    "example.org",
    "Kerkstraat",
    "3511 AB",  # not "3511": random hexadecimal ids may contain it
]
PATHS = {"web": "/webhooks/web/message", "rest": "/webhooks/rest/webhook"}


def files_written(site: Site) -> list[Path]:
    """Every file the servers wrote: databases (with journals) and logs."""
    model = site.var_dir / "model.tar.gz"
    return [p for p in site.var_dir.rglob("*") if p.is_file() and p != model]


def send(site: Site, channel: str, sender: str, text: str) -> list[str]:
    status, _, body = request(
        site,
        PATHS[channel],
        {"sender": sender, "message": text},
        headers={"X-Forwarded-For": "10.30.0.1"},
    )
    assert status == 200, body
    return texts(body["messages"] if channel == "web" else body)


@pytest.mark.parametrize("channel", PATHS)
def test_personal_data_is_nowhere_on_disk_nor_in_the_logs(
    site: Site, channel: str
) -> None:
    sender = f"privacy-{channel}-0001"
    reply = send(site, channel, sender, PERSONAL.format(question=QUESTIONS[channel]))
    assert reply
    [user] = [d for kind, d in stored_events(site, sender) if kind == "user"]
    for tag in ("[PERSOON-1]", "[BSN-1]", "[TELEFOONNUMMER-1]", "[EMAILADRES-1]"):
        assert tag in user["text"]
    assert "[DATUM-1]" in user["text"] and "[LOCATIE-1]" in user["text"]
    written = files_written(site)
    assert {p.name for p in written} >= {"tracker.db", "web.sqlite", "rasa.log"}
    for path in written:
        content = path.read_bytes()
        for secret in SECRETS:
            assert secret.encode() not in content, f"{secret!r} in {path.name}"


def test_a_restart_keeps_the_conversation(site: Site) -> None:
    assert site.rasa is not None
    sender = "restart-0001"
    first = send(site, "web", sender, "mag ik navelstrengbloed laten bewaren")
    assert first[0].startswith(
        "Nee. In Nederland mag u stamcellen uit navelstrengbloed"
    )
    site.rasa.stop()
    site.rasa.start(START_TIMEOUT)
    why = send(site, "web", sender, "waarom niet?")
    assert why[0].startswith("Het mag niet meer, want er zijn in Nederland geen")
    source = " ".join(send(site, "web", sender, "wat is de bron?")[0].split())
    assert source.startswith(
        "Mijn laatste antwoord komt uit: NVOG-standpunt Opslaan navelstrengbloed"
    )
    _, _, history = request(site, f"/webhooks/web/history?sender={sender}")
    users = [m["text"] for m in history["messages"] if m["from"] == "user"]
    assert users == [
        "mag ik navelstrengbloed laten bewaren",
        "waarom niet?",
        "wat is de bron?",
    ]
