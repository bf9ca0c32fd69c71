"""The launcher `python -m assistant.server`: action timeout, CORS, API with auth."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.server import rasa_patches
from assistant.server.launcher import (
    DEFAULT_ACTION_TIMEOUT,
    LaunchError,
    action_timeout,
    server_arguments,
    tune_for_serving,
)

ROOT = Path(__file__).resolve().parents[2]
RUN = ["run", "--model", "m.tar.gz", "--port", "5999"]


@pytest.fixture
def patched() -> Iterator[None]:
    """Let a test install the Rasa patches; put Rasa's own objects back after it."""
    yield
    rasa_patches.uninstall()


def test_by_default_no_api_and_no_cors() -> None:
    assert server_arguments(RUN, {}) == RUN


def test_cors_only_for_the_configured_origins() -> None:
    env = {"CORS_ORIGINS": "https://a.example, https://b.example"}
    assert server_arguments(RUN, env) == RUN + [
        "--cors",
        "https://a.example",
        "https://b.example",
    ]


def test_cors_wildcard_is_refused() -> None:
    with pytest.raises(LaunchError):
        server_arguments(RUN, {"CORS_ORIGINS": "https://a.example *"})


def test_api_comes_with_the_token_from_the_environment() -> None:
    env = {"RASA_ENABLE_API": "true", "RASA_AUTH_TOKEN": "s3cret"}
    assert server_arguments(RUN, env) == RUN + ["--enable-api", "--auth-token=s3cret"]


def test_a_token_starting_with_a_dash_reaches_rasa_whole() -> None:
    import argparse

    env = {"RASA_ENABLE_API": "true", "RASA_AUTH_TOKEN": "-x_Y9"}  # token_urlsafe can
    parser = argparse.ArgumentParser()
    parser.add_argument("-t", "--auth-token")
    parsed, _ = parser.parse_known_args(server_arguments(RUN, env))
    assert parsed.auth_token == "-x_Y9"


def test_api_comes_with_a_jwt_secret_from_the_environment() -> None:
    env = {"RASA_ENABLE_API": "1", "RASA_JWT_SECRET": "jwt"}
    assert server_arguments(RUN, env)[-2:] == ["--enable-api", "--jwt-secret=jwt"]


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (RUN + ["--enable-api"], {}),
        (RUN, {"RASA_ENABLE_API": "true"}),
        (RUN + ["--enable-api", "--cors", "*"], {"RASA_ENABLE_API": "yes"}),
    ],
)
def test_api_without_authentication_is_refused(argv: list[str], env: dict) -> None:
    with pytest.raises(LaunchError, match="authentication"):
        server_arguments(argv, env)


def test_api_with_a_token_in_the_arguments_is_allowed() -> None:
    argv = RUN + ["--enable-api", "--auth-token=t"]
    assert server_arguments(argv, {}) == argv


@pytest.mark.parametrize(
    "argv", [["run", "actions", "--port", "5998"], ["train"], ["--version"]]
)
def test_other_commands_pass_unchanged(argv: list[str]) -> None:
    assert server_arguments(argv, {"CORS_ORIGINS": "https://a.example"}) == argv


def test_action_timeout_defaults_to_a_few_seconds() -> None:
    assert action_timeout({}) == DEFAULT_ACTION_TIMEOUT <= 10
    assert action_timeout({"ACTION_TIMEOUT": "2.5"}) == 2.5
    for bad in ("0", "-1", "soon"):
        with pytest.raises(LaunchError):
            action_timeout({"ACTION_TIMEOUT": bad})


async def test_the_timeout_reaches_the_modules_that_call_the_action_server(
    patched: None,
) -> None:
    import rasa.core.actions.action as action
    import rasa.utils.endpoints as endpoints

    rasa_patches.install(3.0)
    assert action.DEFAULT_REQUEST_TIMEOUT == endpoints.DEFAULT_REQUEST_TIMEOUT == 3
    session = endpoints.EndpointConfig("http://127.0.0.1:9/webhook").session()
    assert session.timeout.total == 3
    await session.close()
    rasa_patches.uninstall()
    session = endpoints.EndpointConfig("http://127.0.0.1:9/webhook").session()
    assert session.timeout.total == 300  # Rasa's own again
    await session.close()


def test_the_launcher_refuses_an_open_api_before_loading_rasa() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RASA_")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "assistant.server", "run", "--enable-api"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode != 0
    assert "RASA_AUTH_TOKEN" in done.stderr


def test_another_rasa_version_stops_the_launcher_with_the_reason() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RASA_")}
    env.update(PYTHONPATH=str(ROOT), DEIDENTIFY_WORKER="false")
    code = (
        "import rasa; rasa.__version__ = '3.7.0'\n"
        "from assistant.server.launcher import main\n"
        "main(['run', '--model', 'm.tar.gz'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "assistant.server: Rasa 3.7.0 is installed" in done.stderr
    assert "written and tested for Rasa 3.6.21 only" in done.stderr
    assert "applied" not in done.stderr


def test_serving_uses_one_tensorflow_thread_unless_set(patched: None, capsys) -> None:
    import rasa.core.processor

    env = {"TF_INTRA_OP_PARALLELISM_THREADS": "2", "DEIDENTIFY_WORKER": "false"}
    tune_for_serving(env, 2.0)
    assert env == {
        "TF_INTRA_OP_PARALLELISM_THREADS": "2",
        "TF_INTER_OP_PARALLELISM_THREADS": "1",
        "DEIDENTIFY_WORKER": "false",
    }
    assert rasa_patches.applied()["action timeout"] == "action timeout 2.0 s"
    assert rasa.core.processor.DaskGraphRunner.__name__ == "SequentialGraphRunner"
    assert rasa_patches.summary() in capsys.readouterr().err
