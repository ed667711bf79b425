"""The engine on a hand-built plan: clock, timers, returns, one escalation, round trips."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.clock import VN_TZ, FixedClock
from tracker.workflow import engine
from tracker.workflow.engine import Run
from tracker.workflow.errors import WorkflowError, WorkflowStateError
from tracker.workflow.generator import generate_bpmn
from tracker.workflow.plan import ProcessPlan, process_task
from tracker.workflow.specs import ProcessSpec, load_spec, spec_hash, validate_bpmn
from tracker.workflow.state import SavedState

FOCAL = "Phòng Văn hóa - Xã hội"
OFFICE = "Văn phòng HĐND và UBND"


def _plan() -> ProcessPlan:
    tasks = (
        process_task(position=1, ref="1", title="Báo cáo tự đánh giá", lead_units=[OFFICE],
                     coordinating_units=[], focal_unit=FOCAL, time_text="Trước ngày 15/11"),
        process_task(position=2, ref="2", title="Kiểm tra hằng quý", lead_units=[],
                     coordinating_units=["Công an"], focal_unit=FOCAL, points=2.5),
        process_task(position=3, ref="3", title="Khi có yêu cầu", lead_units=[OFFICE],
                     coordinating_units=[], focal_unit=FOCAL),
    )
    return ProcessPlan("phuong-thu-1-kh-ubnd", "Kế hoạch thử", "phường Thử", FOCAL, tasks)


def _occ(key: str, opens: dt.date, due: dt.date | None) -> dict[str, object]:
    at = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0), VN_TZ) if due else None
    return engine.occurrence_data(key, opens, due, at)


OCCURRENCES = {
    1: [_occ("2026", dt.date(2026, 10, 15), dt.date(2026, 11, 14))],
    2: [_occ("2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        _occ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30))],
    3: [_occ("2026", dt.date(2026, 1, 1), None)],
}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime(2026, 5, 4, 9, 0, tzinfo=VN_TZ))


@pytest.fixture
def spec() -> ProcessSpec:
    return load_spec(generate_bpmn(_plan()))


def _by_key(run: Run, position: int, key: str) -> engine.OccurrenceState:
    return next(s for s in run.occurrences() if s.position == position and s.key == key)


def test_specs_are_cached_by_content_hash(spec: ProcessSpec) -> None:
    xml = generate_bpmn(_plan())
    assert load_spec(xml) is spec
    assert spec.hash == spec_hash(xml)


def test_duration_and_cycle_timers_are_refused() -> None:
    xml = generate_bpmn(_plan()).replace(
        '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">occurrence_1["due_at"]</bpmn:timeDate>',
        '<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R/P1Y</bpmn:timeCycle>',
    )
    with pytest.raises(WorkflowError, match="only timeDate timers"):
        validate_bpmn(xml, "cycle.bpmn")


def test_invalid_xml_names_file_and_line() -> None:
    with pytest.raises(WorkflowError, match=r"broken\.bpmn: line 1"):
        validate_bpmn("<bpmn:definitions", "broken.bpmn")


def test_one_occurrence_per_item_and_timers_follow_our_clock(
    spec: ProcessSpec, clock: FixedClock
) -> None:
    run = Run.start(spec, OCCURRENCES, clock)
    states = run.occurrences()
    assert [(s.position, s.key) for s in states] == [
        (1, "2026"), (2, "2026-Q2"), (2, "2026-Q3"), (3, "2026")]
    assert {s.stage for s in states} == {"work"}
    assert run.next_timer_at() == dt.datetime(2026, 6, 30, 17, 0, tzinfo=dt.UTC)
    clock.set(dt.datetime(2026, 6, 30, 23, 59, tzinfo=VN_TZ))  # the due day itself
    run.refresh()
    assert not _by_key(run, 2, "2026-Q2").is_overdue
    clock.set(dt.datetime(2026, 7, 1, 0, 0, 1, tzinfo=VN_TZ))
    run.refresh()
    assert _by_key(run, 2, "2026-Q2").is_overdue and _by_key(run, 2, "2026-Q2").is_escalated
    assert not _by_key(run, 2, "2026-Q3").is_overdue
    assert run.next_timer_at() == dt.datetime(2026, 9, 30, 17, 0, tzinfo=dt.UTC)


def test_returns_do_not_rearm_the_deadline(spec: ProcessSpec, clock: FixedClock) -> None:
    run = Run.start(spec, OCCURRENCES, clock)
    q2 = _by_key(run, 2, "2026-Q2").id
    clock.set(dt.datetime(2026, 7, 2, 9, 0, tzinfo=VN_TZ))
    run.refresh()
    for _ in range(3):
        run.submit(q2)
        assert _by_key(run, 2, "2026-Q2").stage == "review"
        run.review(q2, approve=False)
        state = _by_key(run, 2, "2026-Q2")
        assert state.stage == "work" and state.is_returned
        run.refresh()
    escalations = [
        t for sub in run.workflow.subprocesses.values() for t in sub.get_tasks()
        if t.task_spec.bpmn_id == "Task_2_escalate" and t.has_state(engine.TaskState.COMPLETED)
    ]
    assert len(escalations) == 1
    run.submit(q2)
    run.review(q2, approve=True)
    done = _by_key(run, 2, "2026-Q2")
    assert done.stage == "done" and done.approved_at == clock.now()
    with pytest.raises(WorkflowStateError):
        run.submit(q2)


def test_no_deadline_never_fires(spec: ProcessSpec, clock: FixedClock) -> None:
    run = Run.start(spec, OCCURRENCES, clock)
    clock.set(dt.datetime(2027, 6, 1, tzinfo=VN_TZ))
    run.refresh()
    assert not _by_key(run, 3, "2026").is_overdue


def test_serialization_round_trip_full_and_partial(
    spec: ProcessSpec, clock: FixedClock
) -> None:
    run = Run.start(spec, OCCURRENCES, clock)
    q2 = _by_key(run, 2, "2026-Q2").id
    run.submit(q2)
    state = run.serialize()
    assert "bpmn_xml" not in state.trunk and spec.process_id not in state.trunk[:200]
    # The trunk, one part per branch (plan item), one per occurrence with its timer.
    assert sorted(k for k, p in state.parts.items() if p.branch is None) == [
        "Task_1", "Task_2", "Task_3"]
    assert {p.branch for k, p in state.parts.items() if k == q2} == {"Task_2"}
    assert state.parts[q2].next_timer_at == dt.datetime(2026, 6, 30, 17, 0, tzinfo=dt.UTC)
    again = Run.restore(spec, state.trunk, state.parts, clock)
    assert again.occurrences() == run.occurrences()
    assert again.serialize() == state

    needed = state.select([q2])
    assert sorted(needed) == sorted([q2, "Task_2"])
    partial = Run.restore(spec, state.trunk, needed, clock)
    assert [s.id for s in partial.occurrences()] == [q2]
    partial.review(q2, approve=True)
    assert not partial.needs_whole_workflow  # Q3 of the same task is still open
    written = partial.serialize()
    assert sorted(written.parts) == sorted(needed)
    merged_state = state.merged(written)
    merged = Run.restore(spec, merged_state.trunk, merged_state.parts, clock)
    assert _by_key(merged, 2, "2026-Q2").stage == "done"
    assert [s for s in merged.occurrences() if s.id != q2] == [
        s for s in run.occurrences() if s.id != q2]
    # Q2 was approved before its deadline: its timer is gone, Q3's is next.
    assert merged.next_timer_at() == dt.datetime(2026, 9, 30, 17, 0, tzinfo=dt.UTC)
    assert merged.serialize() == merged_state


def _act(spec: ProcessSpec, state: SavedState, clock: FixedClock,
         occurrence_id: str, action: str) -> SavedState:
    """As the service does: a partial run, again on the whole top level when needed."""
    def step(run: Run) -> None:
        run.refresh()
        if action == "submit":
            run.submit(occurrence_id)
        else:
            run.review(occurrence_id, approve=True)

    run = Run.restore(spec, state.trunk, state.select([occurrence_id]), clock)
    step(run)
    if run.needs_whole_workflow:
        run = Run.restore(spec, state.trunk, state.select([occurrence_id], whole=True), clock)
        step(run)
        assert not run.needs_whole_workflow
    return state.merged(run.serialize())


def test_partial_runs_complete_the_plan_through_its_join(
    spec: ProcessSpec, clock: FixedClock
) -> None:
    start = Run.start(spec, OCCURRENCES, clock)
    state = start.serialize()
    ids = [s.id for s in start.occurrences()]
    task_1 = _by_key(start, 1, "2026").id
    # Approving the only occurrence of task 1 finishes its branch: a partial run says so.
    state = _act(spec, state, clock, task_1, "submit")
    probe = Run.restore(spec, state.trunk, state.select([task_1]), clock)
    probe.review(task_1, approve=True)
    assert probe.needs_whole_workflow
    for occurrence_id in ids:
        if occurrence_id != task_1:  # submitted above
            state = _act(spec, state, clock, occurrence_id, "submit")
        state = _act(spec, state, clock, occurrence_id, "approve")
    done = Run.restore(spec, state.trunk, state.parts, clock)
    assert done.is_completed
    assert {s.stage for s in done.occurrences()} == {"done"}
    assert done.next_timer_at() is None


def test_due_only_restores_just_the_due_occurrences(
    spec: ProcessSpec, clock: FixedClock
) -> None:
    state = Run.start(spec, OCCURRENCES, clock).serialize()
    idle = Run.restore(spec, state.trunk, state.select(due_by=clock.now()), clock)
    assert idle.occurrences() == []
    clock.set(dt.datetime(2026, 7, 1, 9, 0, tzinfo=VN_TZ))
    due = Run.restore(spec, state.trunk, state.select(due_by=clock.now()), clock)
    assert [s.key for s in due.occurrences()] == ["2026-Q2"]
    due.refresh()
    assert due.occurrences()[0].is_escalated
    assert not due.needs_whole_workflow
