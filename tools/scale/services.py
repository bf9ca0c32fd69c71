"""PostgreSQL, Redis and nginx from Debian's packages, started by hand on loopback.

Each runs in the foreground as a child process, with its data, configuration and log
in a folder of its own, and listens on 127.0.0.1 only. Run as root, PostgreSQL runs
as the `postgres` user that Debian's package creates (initdb and postgres refuse
root) and nginx's workers as `www-data`. tools/scale/install.sh installs the packages.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
from pathlib import Path

from tools.stack import ROOT, Service, StartError, tail, wait_for

INSTALL_SCRIPT = ROOT / "tools" / "scale" / "install.sh"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
DATABASE = "tracker"
DB_USER = "rasa"


def ensure_installed() -> None:
    """Install PostgreSQL, Redis and nginx from Debian's packages if missing."""
    if not all(shutil.which(tool) for tool in ("redis-server", "nginx")) or not (
        postgres_bin()
    ):
        subprocess.run([str(INSTALL_SCRIPT)], check=True)


def postgres_bin() -> Path | None:
    """Return the newest PostgreSQL bin folder of Debian's packages, if any."""
    folders = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return folders[-1] if folders else None


def _as_root() -> bool:
    """Tell whether this process runs as root."""
    return os.geteuid() == 0


def start_postgres(folder: Path, port: int) -> Service:
    """Create a database cluster in `folder` and start PostgreSQL on 127.0.0.1."""
    binaries = postgres_bin()
    if binaries is None:
        raise StartError("PostgreSQL is not installed (tools/scale/install.sh).")
    user = "postgres" if _as_root() else None
    folder.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(18)
    pwfile = folder / "pwfile"
    pwfile.write_text(password + "\n")
    if user:
        shutil.chown(folder, user, user)
        shutil.chown(pwfile, user, user)
    data = folder / "data"
    log = folder / "postgres.log"
    initdb = [str(binaries / "initdb"), "-D", str(data), "-U", DB_USER]
    initdb += ["--auth=scram-sha-256", f"--pwfile={pwfile}", "-E", "UTF8"]
    initdb += ["--locale=C", "--no-instructions"]
    done = Service("initdb", initdb, log, port, user=user).start()
    if done.process is None or done.process.wait(timeout=120) != 0:
        raise StartError(f"initdb failed:\n{tail(log)}")
    pwfile.unlink()
    args = [str(binaries / "postgres"), "-D", str(data), "-p", str(port)]
    args += [
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        f"unix_socket_directories={folder}",
    ]
    service = Service("PostgreSQL", args, log, port, user=user).start()
    service.extra["password"] = password
    wait_for(lambda: _create_database(port, password), [service], 60, "PostgreSQL")
    return service


def _create_database(port: int, password: str) -> bool:
    """Create the tracker database; False while PostgreSQL does not answer yet."""
    import psycopg2

    try:
        connection = psycopg2.connect(
            host="127.0.0.1",
            port=port,
            user=DB_USER,
            password=password,
            dbname="postgres",
            connect_timeout=2,
        )
    except psycopg2.OperationalError:
        return False
    connection.autocommit = True
    with contextlib.closing(connection), connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {DATABASE}")
    return True


def start_redis(folder: Path, port: int) -> Service:
    """Start Redis on 127.0.0.1 without persistence (locks and counters only)."""
    folder.mkdir(parents=True, exist_ok=True)
    args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1"]
    args += ["--save", "", "--appendonly", "no", "--dir", str(folder)]
    service = Service("Redis", args, folder / "redis.log", port).start()
    wait_for(lambda: _redis_answers(port), [service], 30, "Redis")
    return service


def _redis_answers(port: int) -> bool:
    """Tell whether Redis answers PING."""
    import redis

    try:
        return bool(redis.Redis(port=port, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def nginx_config(folder: Path, port: int, upstreams: list[int]) -> str:
    """Render deploy/nginx.conf.template for a loopback port and the Rasa servers."""
    servers = "\n".join(
        f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in upstreams
    )
    user = "user www-data;" if _as_root() else ""
    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    for name, value in {
        "{{PREFIX}}": str(folder),
        "{{USER}}": user,
        "{{LISTEN}}": f"127.0.0.1:{port}",
        "{{SERVERS}}": servers,
    }.items():
        text = text.replace(name, value)
    return text


def start_nginx(folder: Path, port: int, upstreams: list[int]) -> Service:
    """Start nginx on 127.0.0.1:`port`, round-robin over the Rasa servers' ports."""
    temp = folder / "tmp"
    temp.mkdir(parents=True, exist_ok=True)
    if _as_root():
        shutil.chown(temp, "www-data", "www-data")
    config = folder / "nginx.conf"
    config.write_text(nginx_config(folder, port, upstreams), encoding="utf-8")
    args = ["nginx", "-p", str(folder), "-c", str(config), "-g", "daemon off;"]
    service = Service("nginx", args, folder / "nginx.log", port).start()
    wait_for(lambda: _listening(port), [service], 30, "nginx")
    return service


def _listening(port: int) -> bool:
    """Tell whether something accepts connections on 127.0.0.1:`port`."""
    import socket

    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0
