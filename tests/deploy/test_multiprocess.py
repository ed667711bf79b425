"""The deployment recipe for real: two gunicorn web processes and two schedulers on one
PostgreSQL database, mail caught by a real SMTP server.

The processes are started with the commands of deploy/han-web.service and
han-scheduler.service, read from the unit files (their ExecStartPre and ExecStart, the
recipe's /opt/han checkout mapped to this one), with a short lease so failover fits in the
test. Waits poll with generous limits: the machine may be loaded.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from tests.conftest import create_pg_database
from tests.smtp import SmtpServer, free_port
from tracker.clock import SystemClock
from tracker.models import Mail, MailStatus, SchedulerLease

pytestmark = [pytest.mark.pg_only, pytest.mark.postgres, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LEASE_SECONDS = 6
# Generous limits for a loaded 2-core machine; the waits return as soon as the state is met.
START_LIMIT = 90.0
SEND_LIMIT = 60.0


def unit_commands(unit: str, key: str = "ExecStart") -> list[list[str]]:
    """The ``key`` commands of deploy/``unit`` as this checkout runs them: the recipe installs
    the code in /opt/han with its venv in /opt/han/.venv."""
    commands = []
    for line in (ROOT / "deploy" / unit).read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{key}="):
            command = line.removeprefix(f"{key}=")
            command = command.replace("/opt/han/.venv/bin/", f"{BIN}/").replace(
                "/opt/han/", f"{ROOT}/")
            commands.append(shlex.split(command))
    return commands


def test_the_units_run_this_checkouts_commands() -> None:
    """What the multi-process test starts is the units' commands, and they exist here."""
    web, = unit_commands("han-web.service")
    scheduler, = unit_commands("han-scheduler.service")
    upgrade, = unit_commands("han-web.service", "ExecStartPre")
    assert web == [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
    assert scheduler == [str(BIN / "tracker"), "scheduler"]
    assert upgrade == [str(BIN / "tracker"), "db", "upgrade"]
    for command in (web, scheduler, upgrade):
        assert Path(command[0]).is_file(), command


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def lines(self) -> list[dict[str, object]]:
        """The JSON log lines it wrote so far."""
        found = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("{"):
                found.append(json.loads(line))
        return found

    def describe(self) -> str:
        tail = self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        return f"{self.name} (exit {self.popen.poll()}):\n{tail}"


def wait_for(condition: Callable[[], bool], limit: float, what: str,
             processes: list[Process] = ()) -> float:  # type: ignore[assignment]
    """Poll until ``condition()``; returns the seconds it took. Fails naming ``what``."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if condition():
            return time.monotonic() - started
        for process in processes:
            if process.popen.poll() is not None:
                pytest.fail(f"{process.name} exited while waiting for {what}: "
                            f"{process.describe()}")
        time.sleep(0.2)
    logs = "\n".join(p.describe() for p in processes)
    pytest.fail(f"timed out after {limit:.0f} s waiting for {what}\n{logs}")


@pytest.fixture
def database() -> Iterator[str]:
    url, drop = create_pg_database()
    yield url
    drop()


@pytest.fixture
def engine(database: str) -> Iterator[Engine]:
    found = create_engine(database, poolclass=NullPool)
    yield found
    found.dispose()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def start(database: str, smtp: SmtpServer, tmp_path: Path) -> Iterator[Callable[..., Process]]:
    """Starts one process of the recipe with the installation's environment."""
    started: list[Process] = []
    base_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),  # this checkout's code, not whatever the venv points at
        "DATABASE_URL": database,
        "SECRET_KEY": "multiprocess-test-secret-key-0123456789abcdef",
        "TRACKER_INSTANCE_DIR": str(tmp_path / "instance"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "BASE_URL": "https://han.test",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SMTP_SECURITY": "none",
        "SCHEDULER_ENABLED": "0",
        "SCHEDULER_INTERVAL_SECONDS": "1",
        "SCHEDULER_LEASE_SECONDS": str(LEASE_SECONDS),
        "LOG_FORMAT": "json",
        "DB_POOL_SIZE": "2",
        "DB_MAX_OVERFLOW": "2",
    }

    def run(name: str, command: list[str], **env: str) -> Process:
        log = tmp_path / f"{name}.log"
        handle = log.open("wb")
        popen = subprocess.Popen(command, cwd=ROOT, env=base_env | env, stdout=handle,
                                 stderr=subprocess.STDOUT, start_new_session=True)
        handle.close()
        process = Process(name, popen, log)
        started.append(process)
        return process

    yield run
    for process in started:
        if process.popen.poll() is None:
            process.popen.send_signal(signal.SIGTERM)
    for process in started:
        try:
            process.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.popen.kill()
            process.popen.wait(timeout=10)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0  # not listening (yet), reset, timed out


def queue_mails(engine: Engine, count: int, batch: str) -> set[str]:
    """Due mail rows, as the reminder sweep would leave them; returns their Message-IDs."""
    now = SystemClock().now()
    ids = {f"<{uuid.uuid4().hex}@han.test>" for _ in range(count)}
    rows = [
        {
            "dedupe_key": f"manual:{batch}:{n}", "address": f"can-bo-{batch}-{n}@han.test",
            "kind": "manual", "step": batch, "scheduled_on": now.date(), "is_optional": False,
            "subject": f"Nhắc việc {batch} {n}", "body_text": "Nội dung", "body_html": "<p>x</p>",
            "message_id": message_id, "status": str(MailStatus.PENDING), "attempts": 0,
            "next_attempt_at": now, "created_at": now,
        }
        for n, message_id in enumerate(sorted(ids))
    ]
    with engine.begin() as connection:
        connection.execute(Mail.__table__.insert(), rows)
    return ids


def lease_holder(engine: Engine) -> tuple[str, dt.datetime] | None:
    with engine.connect() as connection:
        row = connection.execute(
            select(SchedulerLease.holder, SchedulerLease.expires_at)
        ).one_or_none()
    return (row[0], row[1]) if row is not None else None


def holder_pid(holder: str) -> int:
    return int(holder.split(":")[1])


def test_two_web_processes_and_two_schedulers_share_one_database(
    engine: Engine, smtp: SmtpServer, start: Callable[..., Process]
) -> None:
    (web,) = unit_commands("han-web.service")
    (scheduler,) = unit_commands("han-scheduler.service")
    (upgrade,) = unit_commands("han-web.service", "ExecStartPre")
    ports = [free_port(), free_port()]
    webs = []
    for i, port in enumerate(ports):
        # As systemd does: the unit's ExecStartPre (idempotent, so two hosts may race it).
        pre = start(f"upgrade-{i}", upgrade)
        assert pre.popen.wait(timeout=START_LIMIT) == 0, pre.log.read_text(errors="replace")
        webs.append(start(f"web-{i}", web, TRACKER_BIND=f"127.0.0.1:{port}",
                          WEB_CONCURRENCY="1", TRACKER_THREADS="4"))
    schedulers = [start(f"scheduler-{i}", scheduler) for i in (0, 1)]
    everyone = webs + schedulers

    # Both web processes ready (database reachable, schema at head).
    for port in ports:
        wait_for(lambda p=port: status_of(f"http://127.0.0.1:{p}/readyz") == 200,
                 START_LIMIT, f"/readyz on port {port}", everyone)

    # A burst across both: every request answered, none with a server error.
    paths = ["/healthz", "/readyz", "/dang-nhap", "/dang-nhap?next=/viec"]
    urls = [f"http://127.0.0.1:{ports[n % 2]}{paths[n % len(paths)]}" for n in range(240)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(status_of, urls))
    assert collections.Counter(statuses) == {200: len(urls)}, collections.Counter(statuses)
    # Each web process answered its share and logged it as JSON (not the probes).
    for web in webs:
        logged = [e for e in web.lines() if e.get("logger") == "tracker.requests"]
        assert logged and all(e["status"] == 200 and e["path"] == "/dang-nhap" for e in logged)
        assert all(isinstance(e["duration_ms"], float) and e["request_id"] for e in logged)

    # One leader: the lease names one of the two schedulers, the other stands by.
    wait_for(lambda: lease_holder(engine) is not None, START_LIMIT, "a lease holder", everyone)
    first = queue_mails(engine, 30, "first")
    wait_for(lambda: set(smtp.inbox.message_ids()) >= first, SEND_LIMIT,
             "the first 30 mails", everyone)
    holder = lease_holder(engine)
    assert holder is not None
    pids = {s.popen.pid: s for s in schedulers}
    assert holder_pid(holder[0]) in pids, holder
    leader = pids[holder_pid(holder[0])]
    standby = next(s for s in schedulers if s is not leader)
    ticks = [e for e in standby.lines() if e.get("job") == "tick"]
    assert ticks and all(e.get("is_leader") is False for e in ticks), ticks[-3:]
    assert not [e for e in standby.lines() if e.get("job") == "delivery"]
    # Delivered and recorded: nothing left pending or claimed.
    wait_for(lambda: _unsent(engine) == 0, SEND_LIMIT, "the first mails marked sent", everyone)

    # The leader dies without a word; the standby takes over once the lease runs out.
    leader.popen.send_signal(signal.SIGKILL)
    leader.popen.wait(timeout=30)
    killed_at = time.monotonic()
    second = queue_mails(engine, 20, "second")
    survivors = [p for p in everyone if p is not leader]

    def standby_holds() -> bool:
        found = lease_holder(engine)
        return found is not None and holder_pid(found[0]) == standby.popen.pid

    wait_for(standby_holds, LEASE_SECONDS + SEND_LIMIT, "the standby taking over", survivors)
    took_over = time.monotonic() - killed_at
    # Not before the dead leader's lease ran out, and within a few ticks after it.
    assert took_over <= LEASE_SECONDS + 30, took_over
    wait_for(lambda: set(smtp.inbox.message_ids()) >= first | second, SEND_LIMIT,
             "the 20 mails queued after the failover", survivors)
    wait_for(lambda: _unsent(engine) == 0, SEND_LIMIT, "the second mails marked sent", survivors)

    # Every mail exactly once at the SMTP server, and nothing else.
    received = collections.Counter(smtp.inbox.message_ids())
    assert set(received) == first | second
    assert max(received.values()) == 1, [m for m, n in received.items() if n > 1]
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Mail.__table__)) == 50
        assert connection.scalar(text("SELECT count(*) FROM mail WHERE status = 'sent'")) == 50
    # The web processes kept serving through it.
    for port in ports:
        assert status_of(f"http://127.0.0.1:{port}/readyz") == 200


def _unsent(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(
            select(func.count()).select_from(Mail.__table__)
            .where(Mail.status != str(MailStatus.SENT))
        ) or 0)
