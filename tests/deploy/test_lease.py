"""The scheduler lease: its length is configurable, and a dead leader's lease is taken over."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask

from tracker.clock import FixedClock
from tracker.extensions import db
from tracker.models import SchedulerLease
from tracker.services.scheduler import (
    LEASE_NAME,
    acquire_lease,
    configured_lease,
    lease_duration,
    release_lease,
    run_tick,
)


def test_lease_length_from_config_or_ticks() -> None:
    assert lease_duration(300) == dt.timedelta(minutes=15)
    assert lease_duration(1) == dt.timedelta(seconds=60)  # never below a minute by default
    assert lease_duration(1, lease_seconds=6) == dt.timedelta(seconds=6)


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return app_config | {"SCHEDULER_INTERVAL_SECONDS": 1, "SCHEDULER_LEASE_SECONDS": 6}


def test_a_standby_takes_over_when_the_leaders_lease_runs_out(
    app: Flask, clock: FixedClock
) -> None:
    assert configured_lease(app) == dt.timedelta(seconds=6)
    assert run_tick(app, "host-a:1:aaaa").is_leader
    assert not run_tick(app, "host-b:2:bbbb").is_leader
    clock.advance(dt.timedelta(seconds=5))  # the leader stopped renewing: still its lease
    assert not run_tick(app, "host-b:2:bbbb").is_leader
    clock.advance(dt.timedelta(seconds=2))  # 7 s since its last renewal: expired
    assert run_tick(app, "host-b:2:bbbb").is_leader
    assert not run_tick(app, "host-a:1:aaaa").is_leader  # the old leader, back, stands by
    lease = db.session.get(SchedulerLease, LEASE_NAME)
    assert lease is not None and lease.holder == "host-b:2:bbbb"
    assert lease.expires_at == clock.now() + dt.timedelta(seconds=6)


def test_the_lease_is_committed_at_once_and_released(app: Flask, clock: FixedClock) -> None:
    assert acquire_lease("host-a:1:aaaa", clock, dt.timedelta(seconds=6))
    db.session.rollback()  # a later failure of the tick cannot undo the lease
    assert db.session.get(SchedulerLease, LEASE_NAME) is not None
    release_lease("host-a:1:aaaa")
    db.session.rollback()
    assert db.session.get(SchedulerLease, LEASE_NAME) is None
    assert acquire_lease("host-b:2:bbbb", clock, dt.timedelta(seconds=6))
