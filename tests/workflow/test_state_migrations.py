"""Saved workflow state from earlier releases restores, migrates and runs to the end.

The golden files in ``golden/`` were written once and are never regenerated: ``plan.bpmn`` is
the hand-built plan of ``test_engine.py``; ``han-2.json`` is a state in today's format
(trunk and parts); ``han-1.state`` is the same story saved by the engine as it was before
the state was split into parts (commit c8b9af2's parent). Both hold: task 1 submitted (in
review), task 2's Q2 returned once and overdue since 1 July (escalated), Q3 open, task 3
approved; clock 2 July 2026, 09:00.

They run forward on a spec parsed afresh, as in a process that restarted: SpiffWorkflow 3.2
connects a multi-instance task to its children's completion only when it creates them, so
before ``spiff_internals.connect_multi_instance_merges`` such a process never finished a plan.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from tests.workflow.test_engine import _act
from tracker.clock import VN_TZ, FixedClock
from tracker.workflow import specs, spiff_internals, state
from tracker.workflow.engine import Run
from tracker.workflow.errors import WorkflowError

GOLDEN = Path(__file__).parent / "golden"
ROOT = Path(__file__).parents[2]

EXPECTED = [
    # position, key, stage, returned, overdue, escalated
    (1, "2026", "review", False, False, False),
    (2, "2026-Q2", "work", True, True, True),
    (2, "2026-Q3", "work", False, False, False),
    (3, "2026", "done", False, False, False),
]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime(2026, 7, 2, 9, 0, tzinfo=VN_TZ))


@pytest.fixture
def spec() -> specs.ProcessSpec:
    # Parsed afresh, not from the cache: as a process that never started this plan sees it.
    return specs.validate_bpmn((GOLDEN / "plan.bpmn").read_text(encoding="utf-8"), "plan.bpmn")


def _golden_han2() -> state.SavedState:
    doc = json.loads((GOLDEN / "han-2.json").read_text(encoding="utf-8"))
    parts = {
        key: state.Part(p["branch"], p["text"],
                         dt.datetime.fromisoformat(p["next_timer_at"]) if p["next_timer_at"]
                         else None)
        for key, p in doc["parts"].items()
    }
    return state.SavedState(doc["trunk"], parts)


def _summary(run: Run) -> list[tuple[object, ...]]:
    return [(s.position, s.key, s.stage, s.is_returned, s.is_overdue, s.is_escalated)
            for s in run.occurrences()]


def _run_to_completion(spec: specs.ProcessSpec, saved: state.SavedState,
                       clock: FixedClock) -> Run:
    """Every open occurrence submitted and approved, one partial run per action."""
    run = Run.restore(spec, saved.trunk, saved.parts, clock)
    clock.set(dt.datetime(2026, 12, 1, 9, 0, tzinfo=VN_TZ))  # past every deadline
    for occurrence in run.occurrences():
        if occurrence.stage == "work":
            saved = _act(spec, saved, clock, occurrence.id, "submit")
        if occurrence.stage != "done":
            saved = _act(spec, saved, clock, occurrence.id, "approve")
    done = Run.restore(spec, saved.trunk, saved.parts, clock)
    assert done.is_completed
    return done


def test_spiffworkflow_is_pinned_to_the_version_the_internals_were_written_against() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in project["project"]["dependencies"] if d.startswith("SpiffWorkflow")]
    assert pins == [f"SpiffWorkflow=={spiff_internals.WRITTEN_AGAINST}"]
    assert metadata.version("SpiffWorkflow") == spiff_internals.WRITTEN_AGAINST


def test_no_other_module_touches_spiffworkflow_privates() -> None:
    private = re.compile(r"\._(get|set)_internal_data|_encoder_cls|_encoder_mode|\._parent\b")
    offenders = [
        str(path.relative_to(ROOT)) for path in (ROOT / "tracker").rglob("*.py")
        if path.name != "spiff_internals.py" and private.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_golden_state_of_today_restores_and_runs_forward(
    spec: specs.ProcessSpec, clock: FixedClock
) -> None:
    saved = _golden_han2()
    assert state.state_version(saved.trunk) == state.CURRENT
    run = Run.restore(spec, saved.trunk, saved.parts, clock)
    assert _summary(run) == EXPECTED
    assert run.serialize() == saved  # restoring changes nothing
    done = _run_to_completion(spec, saved, clock)
    assert {s.stage for s in done.occurrences()} == {"done"}
    assert done.next_timer_at() is None


def test_han1_state_migrates_on_restore_and_runs_forward(
    spec: specs.ProcessSpec, clock: FixedClock
) -> None:
    trunk = (GOLDEN / "han-1.state").read_text(encoding="utf-8")
    assert state.state_version(trunk) == ("han-1", "1.5")
    assert state.needs_migration(trunk)
    run = Run.restore(spec, trunk, {}, clock)  # han-1 kept everything in the one text
    assert _summary(run) == EXPECTED
    assert run.stored_parts == {}  # so a save writes every part as new
    migrated = run.serialize()
    assert state.state_version(migrated.trunk) == state.CURRENT
    golden = _golden_han2()
    assert sorted(k for k, p in migrated.parts.items() if p.branch is None) == sorted(
        k for k, p in golden.parts.items() if p.branch is None)
    assert sorted(p.next_timer_at for p in migrated.parts.values() if p.next_timer_at) == sorted(
        p.next_timer_at for p in golden.parts.values() if p.next_timer_at)
    done = _run_to_completion(spec, migrated, clock)
    assert [s.key for s in done.occurrences()] == [row[1] for row in EXPECTED]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("serializer_version", "0.9",
     r"no migration for workflow state format 'han-2' written by serializer '0\.9'"),
    ("format", "han-0", r"no migration for workflow state format 'han-0'"),
])
def test_an_unknown_version_is_a_clear_error(
    spec: specs.ProcessSpec, clock: FixedClock, field: str, value: str, message: str
) -> None:
    saved = _golden_han2()
    header = json.loads(saved.trunk)
    header[field] = value
    with pytest.raises(WorkflowError, match=message):
        Run.restore(spec, json.dumps(header), saved.parts, clock)


def test_a_trunk_that_is_not_json_is_a_clear_error(
    spec: specs.ProcessSpec, clock: FixedClock
) -> None:
    with pytest.raises(WorkflowError, match="the workflow state is not JSON"):
        Run.restore(spec, "han-2 {", {}, clock)
