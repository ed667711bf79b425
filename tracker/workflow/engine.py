"""One workflow instance in memory (:class:`Run`): started, restored in part, read, acted on.

The timers it runs on are in :mod:`tracker.workflow.timers`, the parsed specs it runs in
:mod:`tracker.workflow.specs`, and the saved state it reads and writes (trunk and parts,
format and migrations) in :mod:`tracker.workflow.state`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from tracker.clock import Clock
from tracker.workflow import spiff_internals
from tracker.workflow.errors import WorkflowError, WorkflowStateError
from tracker.workflow.generator import APPROVE, RETURN
from tracker.workflow.specs import ProcessSpec
from tracker.workflow.state import (
    BRANCH_SPEC,
    SERIALIZER,
    SERIALIZER_VERSION,
    STATE_FORMAT,
    Part,
    SavedState,
    StateError,
    migrate,
)
from tracker.workflow.timers import ClockedScriptEngine, ClockedTimeDateEventDefinition

__all__ = ["OccurrenceState", "Run", "occurrence_data"]

_OCCURRENCE_SPEC = re.compile(r"^Task_(\d+)$")


@dataclass(frozen=True)
class OccurrenceState:
    """Where one occurrence of one plan item stands, read from the running workflow."""

    id: str  # the Spiff task id of the occurrence's multi-instance child: stable
    position: int
    key: str
    opens_on: dt.date
    due_on: dt.date | None
    stage: str  # "work" | "review" | "done"
    is_returned: bool  # work again after the focal unit returned it
    is_overdue: bool  # the deadline timer fired
    is_escalated: bool  # the escalation to the chairman was thrown
    approved_at: dt.datetime | None


def occurrence_data(key: str, opens_on: dt.date, due_on: dt.date | None,
                    due_at: dt.datetime | None) -> dict[str, Any]:
    """One item of ``occurrences_<n>``: JSON-plain, as the instance stores it."""
    return {
        "key": key,
        "opens_on": opens_on.isoformat(),
        "due_on": due_on.isoformat() if due_on else None,
        "due_at": due_at.astimezone(dt.UTC).isoformat() if due_at else None,
    }


def _uncut(current: list[str], stored: list[str], left_out: set[str]) -> list[str]:
    """A children list cut at restore, with the children left out put back in place."""
    present = set(current)
    known = set(stored)
    kept = [c for c in stored if c in left_out or c in present]
    return kept + [c for c in current if c not in known]


class Run:
    """One workflow instance in memory, bound to the clock it reads.

    A run may hold only part of the instance: the trunk, some branches and some
    occurrences. Spiff then sees a top-level workflow whose split has only the restored
    branches; the others are written back as they were stored.
    """

    def __init__(self, spec: ProcessSpec, workflow: BpmnWorkflow,
                 branches: list[str] | None = None) -> None:
        self.spec = spec
        self.workflow = workflow
        # Every branch of the instance, in order; the trunk keeps the list.
        self._branches: list[str] = branches if branches is not None else []
        # Children lists cut down to what was restored: task id → (stored list, left out).
        self._cut: dict[str, tuple[list[str], set[str]]] = {}
        self._last_task: str | None = None  # the stored last task, if it was not restored
        self._heads: dict[str, int] = {}  # restored branch → state of its head at restore
        self.stored_parts: dict[str, Part] = {}  # the parts restored, as they were stored

    @classmethod
    def start(cls, spec: ProcessSpec, occurrences: dict[int, list[dict[str, Any]]],
              clock: Clock) -> Run:
        """Start an instance whose plan item ``n`` has the occurrences ``occurrences[n]``."""
        missing = sorted(set(spec.task_properties) - set(occurrences))
        if missing:
            raise WorkflowError(f"{spec.process_id}: no occurrences given for tasks {missing}")
        workflow = BpmnWorkflow(spec.spec, spec.subprocess_specs,
                                script_engine=ClockedScriptEngine(clock))
        for n, items in occurrences.items():
            workflow.data_objects[f"occurrences_{n}"] = items
        run = cls(spec, workflow)
        run.refresh()
        run._branches = [b for b in dict.fromkeys(run._branch_of().values()) if b is not None]
        return run

    @classmethod
    def restore(cls, spec: ProcessSpec, trunk: str, parts: Mapping[str, Part],
                clock: Clock) -> Run:
        """Restore the trunk and the given parts (see :meth:`SavedState.select`).

        An occurrence part needs its branch part. Occurrences and branches not given stay
        as stored: they cannot be read or acted on in this run.
        """
        stored = dict(parts)
        try:
            trunk, parts = migrate(trunk, stored)
        except StateError as exc:
            raise WorkflowError(str(exc)) from exc
        header = json.loads(trunk)
        branches: list[str] = header["branches"]
        dct = header["workflow"]
        tasks: dict[str, Any] = dct["tasks"]
        subprocesses: dict[str, Any] = {}
        for key in branches:
            if key in parts:
                tasks.update(json.loads(parts[key].text))
        for key, part in parts.items():
            if part.branch is None:
                continue
            if part.branch not in parts:
                raise WorkflowError(f"occurrence {key} restored without its branch {part.branch}")
            subprocesses.update(json.loads(part.text))
        cut: dict[str, tuple[list[str], set[str]]] = {}
        for task_id, task in tasks.items():
            children = task["children"]
            if any(child not in tasks for child in children):
                left_out = {child for child in children if child not in tasks}
                cut[task_id] = (children, left_out)
                task["children"] = [child for child in children if child not in left_out]
        last_task = dct.get("last_task")
        workflow = SERIALIZER.registry.restore(
            dct, spec=spec.spec, subprocess_specs=spec.subprocess_specs,
            script_engine=ClockedScriptEngine(clock), subprocesses=subprocesses,
        )
        run = cls(spec, workflow, branches)
        run.stored_parts = stored
        run._cut = cut
        if last_task is not None and last_task not in tasks:
            run._last_task = last_task
        run._heads = {
            task.task_spec.name: task.state for task in workflow.tasks.values()
            if task.task_spec.name in parts and BRANCH_SPEC.match(task.task_spec.name)
        }
        return run

    @property
    def needs_whole_workflow(self) -> bool:
        """True when a branch moved past its multi-instance parent in a partial run.

        The plan's join (and Spiff's end join) look at every branch, so what this run did
        past that point is only right if every branch was restored: act again on a run
        restored with ``SavedState.select(..., whole=True)``.
        """
        if set(self._heads) >= set(self._branches):
            return False
        return any(
            task.state != self._heads[task.task_spec.name]
            for task in self.workflow.tasks.values()
            if task.task_spec.name in self._heads
        )

    def serialize(self) -> SavedState:
        """The trunk, and one part per restored branch and per restored occurrence."""
        branch_of = self._branch_of()
        trunk_tasks: dict[str, Any] = {}
        branch_tasks: dict[str, dict[str, Any]] = {}
        occurrences: dict[str, dict[str, Any]] = {}
        for sub_id, sub in self.workflow.subprocesses.items():
            occurrences.setdefault(self._root_of(sub), {})[str(sub_id)] = sub
        timers = self._timers_by_occurrence()
        registry = SERIALIZER.registry
        compact = (",", ":")
        parts: dict[str, Part] = {}
        with spiff_internals.encoding(SERIALIZER) as encoder:
            workflow = registry.convert(self.workflow)
            for task_id, task in workflow["tasks"].items():
                if task_id in self._cut:
                    task["children"] = _uncut(task["children"], *self._cut[task_id])
                branch = branch_of.get(task_id)
                target = trunk_tasks if branch is None else branch_tasks.setdefault(branch, {})
                target[task_id] = task
            workflow["tasks"] = trunk_tasks
            if workflow["last_task"] is None and self._last_task is not None:
                workflow["last_task"] = self._last_task
            trunk = json.dumps({
                "format": STATE_FORMAT,
                "serializer_version": SERIALIZER_VERSION,
                "branches": self._branches,
                "workflow": workflow,
            }, cls=encoder, separators=compact)
            for key, tasks in branch_tasks.items():
                parts[key] = Part(None, json.dumps(tasks, cls=encoder, separators=compact))
            for key, subs in occurrences.items():
                converted = {k: registry.convert(v) for k, v in subs.items()}
                timer = timers.get(key)
                parts[key] = Part(
                    branch_of[key], json.dumps(converted, cls=encoder, separators=compact),
                    TimerEventDefinition.get_datetime(timer) if timer else None,
                )
        return SavedState(trunk, parts)

    def _branch_of(self) -> dict[str, str | None]:
        """Top-level task id → the branch (``Task_<n>``) it belongs to, or None (trunk)."""
        found: dict[str, str | None] = {}
        for task_id, task in self.workflow.tasks.items():
            name = task.task_spec.name
            if BRANCH_SPEC.match(name):
                found[str(task_id)] = name
            else:
                parent = spiff_internals.parent_id(task)
                found[str(task_id)] = found.get(str(parent)) if parent else None
        return found

    def _root_of(self, sub: Any) -> str:
        """The id of the occurrence (multi-instance child) a sub-process belongs to."""
        while sub.parent_workflow is not self.workflow:
            sub = sub.parent_workflow
        return str(sub.parent_task_id)

    def _timers_by_occurrence(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for task in self.workflow.event_manager.tasks.values():
            definition = task.task_spec.event_definition
            if not isinstance(definition, ClockedTimeDateEventDefinition):
                continue
            if task.workflow is self.workflow or task.has_state(TaskState.FINISHED_MASK):
                continue
            value = definition.details(task).value
            if not value:
                continue
            key = self._root_of(task.workflow)
            if key not in found or (TimerEventDefinition.get_datetime(value)
                                    < TimerEventDefinition.get_datetime(found[key])):
                found[key] = value
        return found

    @property
    def clock(self) -> Clock:
        clock: Clock = self.workflow.script_engine.clock
        return clock

    def refresh(self) -> None:
        """Fire the timers that are due by the clock and run every engine step after them."""
        self.workflow.refresh_timers()
        self.workflow.do_engine_steps()
        # Escalations leave the process (nobody inside catches them); we read them from the
        # task tree, so drop them here rather than let them pile up in the saved state.
        self.workflow.get_events()

    @property
    def is_completed(self) -> bool:
        return bool(self.workflow.completed)

    def next_timer_at(self) -> dt.datetime | None:
        """The earliest pending timer of the restored occurrences."""
        values = self._timers_by_occurrence().values()
        if not values:
            return None
        return min(TimerEventDefinition.get_datetime(v) for v in values)

    # -- reading ---------------------------------------------------------------------

    def occurrences(self) -> list[OccurrenceState]:
        states = []
        for sub in list(self.workflow.subprocesses.values()):
            match = _OCCURRENCE_SPEC.match(sub.spec.name)
            if match is None:
                continue
            states.append(self._occurrence_state(sub, int(match.group(1))))
        states.sort(key=lambda s: (s.position, s.opens_on, s.key))
        return states

    def _occurrence_state(self, sub: Any, position: int) -> OccurrenceState:
        mi_child = self.workflow.get_task_from_id(sub.parent_task_id)
        item = mi_child.data[f"occurrence_{position}"]
        by_id = {}
        for task in sub.get_tasks():
            by_id.setdefault(task.task_spec.bpmn_id, []).append(task)
        prefix = f"Task_{position}"
        work = by_id[f"{prefix}_work"][0]
        is_overdue = any(
            t.has_state(TaskState.COMPLETED) for t in by_id.get(f"{prefix}_deadline", [])
        )
        is_escalated = any(
            t.has_state(TaskState.COMPLETED) for t in by_id.get(f"{prefix}_escalate", [])
        )
        stage, is_returned, approved_at = "work", False, None
        if work.has_state(TaskState.COMPLETED):
            stage = "done"
            approved = work.data.get("approved_at")
            approved_at = dt.datetime.fromisoformat(approved) if approved else None
        else:
            ready = self._ready_user_task(work, position)
            if ready is not None and ready.task_spec.bpmn_id.endswith("_review"):
                stage = "review"
            elif ready is not None:
                is_returned = ready.data.get("review_outcome") == RETURN
        due = item.get("due_on")
        return OccurrenceState(
            id=str(mi_child.id),
            position=position,
            key=item["key"],
            opens_on=dt.date.fromisoformat(item["opens_on"]),
            due_on=dt.date.fromisoformat(due) if due else None,
            stage=stage,
            is_returned=is_returned,
            is_overdue=is_overdue,
            is_escalated=is_escalated,
            approved_at=approved_at,
        )

    def _ready_user_task(self, work_task: Any, position: int) -> Any:
        work = self.workflow.subprocesses.get(work_task.id)
        if work is None:
            return None
        for task in work.get_tasks(state=TaskState.READY):
            if task.task_spec.bpmn_id in {f"Task_{position}_do", f"Task_{position}_review"}:
                return task
        return None

    def _find(self, occurrence_id: str) -> tuple[Any, int]:
        try:
            mi_child = self.workflow.get_task_from_id(UUID(occurrence_id))
        except (KeyError, ValueError) as exc:
            raise WorkflowStateError(f"no occurrence {occurrence_id} in this instance") from exc
        sub = self.workflow.subprocesses.get(mi_child.id) if mi_child is not None else None
        match = _OCCURRENCE_SPEC.match(sub.spec.name) if sub is not None else None
        if sub is None or match is None:
            raise WorkflowStateError(f"no running occurrence {occurrence_id} in this instance")
        position = int(match.group(1))
        work = next(
            (t for t in sub.get_tasks() if t.task_spec.bpmn_id == f"Task_{position}_work"), None
        )
        if work is None:
            raise WorkflowStateError(f"occurrence {occurrence_id} has no work sub-process")
        return work, position

    # -- acting ----------------------------------------------------------------------

    def move_deadline(self, occurrence_id: str, due_on: dt.date, due_at: dt.datetime) -> None:
        """Give an occurrence a new deadline (set by hand, corrected, or extended).

        The occurrence's data item and every copy of it in its sub-processes take the new
        dates; its deadline timer, armed or never armed (no deadline), is read again from
        them. A timer that already fired cannot be taken back: that is refused.
        """
        work, position = self._find(occurrence_id)
        if work.has_state(TaskState.COMPLETED):
            raise WorkflowStateError("this occurrence is already done")
        mi_child = self.workflow.get_task_from_id(UUID(occurrence_id))
        name = f"occurrence_{position}"
        item = dict(mi_child.data[name])
        item.update(due_on=due_on.isoformat(), due_at=due_at.astimezone(dt.UTC).isoformat())
        sub = self.workflow.subprocesses[mi_child.id]
        holders = [mi_child, *sub.get_tasks()]
        inner = self.workflow.subprocesses.get(work.id)
        if inner is not None:
            holders.extend(inner.get_tasks())
        timers = []
        for task in holders:
            if name in task.data:
                task.data[name] = dict(item)
            definition = getattr(task.task_spec, "event_definition", None)
            if isinstance(definition, ClockedTimeDateEventDefinition) \
                    and not task.has_state(TaskState.FINISHED_MASK):
                timers.append(task)
        for task in timers:
            if spiff_internals.internal_data(task, "event_fired", False):
                raise WorkflowStateError("the deadline of this occurrence has already passed")
            spiff_internals.forget_internal_data(task, "event_value")
        self.workflow.refresh_timers()
        self.workflow.do_engine_steps()


    def submit(self, occurrence_id: str) -> None:
        """The lead unit submits its work: the occurrence goes to review."""
        work, position = self._find(occurrence_id)
        task = self._ready_user_task(work, position)
        if task is None or not task.task_spec.bpmn_id.endswith("_do"):
            raise WorkflowStateError("this occurrence is not waiting for a submission")
        task.data.update(submitted_at=self.clock.now().isoformat())
        task.run()
        self.workflow.do_engine_steps()

    def complete(self, occurrence_id: str) -> None:
        """Finish an occurrence whose work was done elsewhere (a split task's shares):
        submitted if it is still with the lead unit, then approved."""
        work, position = self._find(occurrence_id)
        task = self._ready_user_task(work, position)
        if task is None:
            raise WorkflowStateError("this occurrence is not waiting for a submission or review")
        if task.task_spec.bpmn_id.endswith("_do"):
            self.submit(occurrence_id)
        self.review(occurrence_id, approve=True)

    def review(self, occurrence_id: str, *, approve: bool) -> None:
        """The focal unit approves (done) or returns (back to the lead unit)."""
        work, position = self._find(occurrence_id)
        task = self._ready_user_task(work, position)
        if task is None or not task.task_spec.bpmn_id.endswith("_review"):
            raise WorkflowStateError("this occurrence is not waiting for a review")
        outcome = {"review_outcome": APPROVE if approve else RETURN}
        if approve:
            outcome["approved_at"] = self.clock.now().isoformat()
        task.data.update(outcome)
        task.run()
        self.workflow.do_engine_steps()
