"""Once a day: the scheduler's upkeep jobs (archiving) run at its first tick of a Vietnam day.

A tick comes every few minutes; a job that needs to run only daily claims the day in
``job_run`` (one row per job: the Vietnam day it last ran). The claim is made inside the
job's own unit of work, so it is committed with the job's work, or rolled back with it when
the job collides with another writer and is retried. Two schedulers cannot both claim a day:
only the lease holder runs jobs, and the row's update (or its first insert, on the unique
name) decides between two that overlap when the lease changes hands.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from tracker.extensions import db
from tracker.models import JobRun


def claim_day(name: str, on: dt.date, now: dt.datetime) -> bool:
    """True when job ``name`` has not run on the Vietnam day ``on`` and is now marked as run
    (flushed: it counts once the caller commits); False when it already ran that day.

    Another day in the row, earlier or later (a ``tracker remind --now`` in the future), is
    simply replaced: the job runs again, and the jobs that use this are idempotent.
    """
    result = db.session.execute(
        update(JobRun)
        .where(JobRun.name == name, JobRun.ran_on != on)
        .values(ran_on=on, ran_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) == 1:
        return True
    if db.session.get(JobRun, name) is not None:
        return False
    db.session.add(JobRun(name=name, ran_on=on, ran_at=now))
    db.session.flush()  # a racing first insert fails here, as a collision the job retries
    return True
