"""A scaled-out assistant on this machine: Rasa's multi-instance design on loopback.

PostgreSQL (tracker store), Redis (lock store, shared rate limits), one action server,
N Rasa servers started as `make run` starts one (`python -m assistant.server run`)
with deploy/endpoints.production.yml, and nginx round-robin in front. Everything lives
in a temporary folder and is stopped and removed on exit, also when start-up fails.

    python -m tools.scale.cluster up [--servers 2]     # runs until Ctrl-C

In Python: `with cluster(servers=2) as c: ...` (c.url is nginx, c.servers the Rasa
servers). SCALE_KEEP=1 keeps the folder (logs) after exit.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tools import stack as launcher
from tools.scale.services import (
    DATABASE,
    DB_USER,
    ensure_installed,
    start_nginx,
    start_postgres,
    start_redis,
)
from tools.stack import (
    HEALTH_PATH,
    ROOT,
    Service,
    StartError,
    action_server,
    free_port,
    get_ok,
    rasa_server,
    stop_all,
    wait_for,
)

MODEL = ROOT / "models" / "assistant.tar.gz"
ENDPOINTS = ROOT / "deploy" / "endpoints.production.yml"
START_TIMEOUT = 300.0  # seconds: each Rasa server loads TensorFlow, the model, deduce
MESSAGE_PATH = "/webhooks/web/message"

# As `make run`, but: listening on 127.0.0.1, behind one proxy (client address from
# X-Forwarded-For), a lock lifetime that frees a dead server's conversations in 20 s.
BASE_SETTINGS = {
    "SANIC_PROXIES_COUNT": "1",
    "TICKET_LOCK_LIFETIME": "20",
    "TURN_QUEUE_TIMEOUT": "10",
}


@dataclass
class Cluster:
    """The running cluster: where it listens and how to reach its parts."""

    folder: Path
    postgres: Service
    redis: Service
    actions: Service
    servers: list[Service] = field(default_factory=list)
    nginx: Service | None = None

    @property
    def url(self) -> str:
        """Return nginx's base URL (the entry point of the users)."""
        assert self.nginx is not None
        return f"http://127.0.0.1:{self.nginx.port}"

    def server_url(self, index: int) -> str:
        """Return one Rasa server's own base URL (bypassing nginx)."""
        return f"http://127.0.0.1:{self.servers[index].port}"

    def database_url(self) -> str:
        """Return the PostgreSQL URL of the tracker database (with the password)."""
        password = self.postgres.extra["password"]
        return (
            f"postgresql://{DB_USER}:{password}@127.0.0.1:{self.postgres.port}"
            f"/{DATABASE}"
        )

    def redis_url(self, db: int = 1) -> str:
        """Return the Redis URL of the shared limits (db 1; the locks use db 0)."""
        return f"redis://127.0.0.1:{self.redis.port}/{db}"

    def stored_events(self, sender: str) -> list[tuple[str, dict]]:
        """Return a conversation's stored events (type, data) in stored order."""
        import psycopg2

        with contextlib.closing(psycopg2.connect(self.database_url())) as db:
            with db.cursor() as cursor:
                cursor.execute(
                    "SELECT type_name, data FROM events WHERE sender_id = %s "
                    "ORDER BY id",
                    (sender,),
                )
                rows = cursor.fetchall()
        return [(kind, json.loads(data)) for kind, data in rows]

    def services(self) -> list[Service]:
        """Return every service, the entry point first."""
        front = [self.nginx] if self.nginx else []
        return [*front, *self.servers, self.actions, self.redis, self.postgres]

    def stop(self) -> None:
        """Stop every service together (signalled nginx first, databases last)."""
        stop_all(self.services())


def healthy(base_url: str) -> bool:
    """Tell whether a Rasa server's health report answers 200 (ready)."""
    return get_ok(base_url + HEALTH_PATH, timeout=3)


def server_env(c: Cluster, settings: Mapping[str, str]) -> dict[str, str]:
    """Return the Rasa servers' environment: endpoints variables, limits, settings."""
    env = launcher.server_env(BASE_SETTINGS)
    env.update(
        {
            "ACTION_SERVER_URL": f"http://127.0.0.1:{c.actions.port}/webhook",
            "TRACKER_DB_HOST": "127.0.0.1",
            "TRACKER_DB_PORT": str(c.postgres.port),
            "TRACKER_DB_NAME": DATABASE,
            "TRACKER_DB_USER": DB_USER,
            "TRACKER_DB_PASSWORD": c.postgres.extra["password"],
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(c.redis.port),
            "REDIS_PASSWORD": "",
            "REDIS_LOCK_DB": "0",
            "REDIS_URL": c.redis_url(1),
            "STAFF_TOKEN": secrets.token_urlsafe(18),
            # One file for all servers (SQLite locks it; they share one machine).
            "WEB_DB": str(c.folder / "web.sqlite"),
        }
    )
    env.update(settings)
    return env


def start_rasa(c: Cluster, model: Path, index: int, env: dict[str, str]) -> Service:
    """Start Rasa server number `index` on a free port (not waiting for it)."""
    log = c.folder / f"rasa-{index}.log"
    name = f"Rasa server {index}"
    return rasa_server(free_port(), model, ENDPOINTS, log, env, name=name).start()


def wait_healthy(c: Cluster, servers: list[Service], timeout: float) -> None:
    """Wait until every given Rasa server reports ready."""
    for service in servers:
        wait_for(service.ready, [service, c.actions], timeout, service.name)


@contextlib.contextmanager
def cluster(
    servers: int = 2,
    model: Path = MODEL,
    settings: Mapping[str, str] | None = None,
    start_timeout: float = START_TIMEOUT,
) -> Iterator[Cluster]:
    """Start the cluster with `servers` Rasa servers; stop and remove it on exit."""
    if not model.exists():
        raise StartError(f"No trained model at {model}: run `make train` first.")
    ensure_installed()
    folder = Path(tempfile.mkdtemp(prefix="stamcel-scale-"))
    folder.chmod(0o711)  # the postgres and www-data users reach their own subfolders
    started: list[Service] = []
    c: Cluster | None = None
    try:
        shutil.copy(model, folder / "model.tar.gz")  # `make train` may replace it
        postgres = start_postgres(folder / "postgres", free_port())
        started.append(postgres)
        redis = start_redis(folder / "redis", free_port())
        started.append(redis)
        actions = action_server(
            free_port(), folder / "actions.log", launcher.server_env(BASE_SETTINGS)
        ).start()
        started.append(actions)
        c = Cluster(folder, postgres, redis, actions)
        env = server_env(c, settings or {})
        c.servers = [
            start_rasa(c, folder / "model.tar.gz", i, env) for i in range(servers)
        ]
        started += c.servers
        wait_healthy(c, c.servers, start_timeout)
        c.nginx = start_nginx(
            folder / "nginx", free_port(), [s.port for s in c.servers]
        )
        started.append(c.nginx)
        yield c
    finally:
        if c is None:
            stop_all(list(reversed(started)))
        else:
            c.stop()
        if os.environ.get("SCALE_KEEP") != "1":
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    """Run `up`: start the cluster, print where it listens, stop on Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m tools.scale.cluster")
    parser.add_argument("command", choices=["up"])
    parser.add_argument("--servers", type=int, default=2, help="Rasa servers (2)")
    arguments = parser.parse_args(argv)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    print(f"Starting {arguments.servers} Rasa servers (about 30 s each)...")
    with cluster(arguments.servers) as c:
        print(f"nginx:        {c.url}/  (chat page; {c.url}{HEALTH_PATH})")
        for index in range(len(c.servers)):
            print(f"Rasa server {index}: {c.server_url(index)}")
        print(f"PostgreSQL:   127.0.0.1:{c.postgres.port} (database {DATABASE})")
        print(f"Redis:        127.0.0.1:{c.redis.port}")
        print(f"Logs:         {c.folder}   Stop with Ctrl-C.")
        try:
            while not stopping and all(s.running() for s in c.services()):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    print("Stopped.")


if __name__ == "__main__":
    main()
