"""The saved state of a workflow instance, its format, and the migrations between formats.

An instance's state is a *trunk* (one JSON document: the top-level workflow without its
spec and without its branches) and *parts* (one per branch, one per occurrence), written by
:meth:`tracker.workflow.engine.Run.serialize` with :data:`SERIALIZER`. The trunk's header
names the state format (:data:`STATE_FORMAT`) and the version of SpiffWorkflow's serializer
that wrote the Spiff dictionaries inside it. Like spiff-arena's process-instance
migrations, a state written in an older (format, serializer version) is brought up to date
when it is restored, one step at a time (:data:`MIGRATIONS`); a version with no step is
refused with a clear message.

A step that changes the Spiff dictionaries must see every part: :func:`needs_migration`
tells the caller to load the whole instance first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.serializer.default.event_definition import (
    TimerConditionalEventDefinitionConverter,
)
from SpiffWorkflow.bpmn.serializer.workflow import VERSION as SERIALIZER_VERSION
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.version import __version__ as SPIFF_VERSION

from tracker.workflow import spiff_internals
from tracker.workflow.timers import ClockedTimeDateEventDefinition

__all__ = [
    "BRANCH_SPEC",
    "MIGRATIONS",
    "SERIALIZER",
    "SERIALIZER_VERSION",
    "SPIFF_VERSION",
    "STATE_FORMAT",
    "Part",
    "SavedState",
    "StateError",
    "migrate",
    "needs_migration",
    "state_version",
]

STATE_FORMAT = "han-2"
CURRENT = (STATE_FORMAT, SERIALIZER_VERSION)
_COMPACT = (",", ":")
# A top-level multi-instance parent: the head of one branch of the plan's parallel split.
BRANCH_SPEC = re.compile(r"^Task_\d+$")


def _make_serializer() -> BpmnWorkflowSerializer:
    """Spiff's serializer for our clocked timers, writing a workflow without its spec."""
    config = dict(SPIFF_CONFIG)
    config[ClockedTimeDateEventDefinition] = TimerConditionalEventDefinitionConverter
    config[BpmnWorkflow] = spiff_internals.StatelessWorkflowConverter
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))


SERIALIZER = _make_serializer()


class StateError(ValueError):
    """A saved state this version of Hạn cannot read or migrate."""


@dataclass(frozen=True)
class Part:
    """One separately stored piece of an instance's state.

    A *branch* part (``branch`` is None, key ``Task_<n>``) holds the top-level Spiff tasks
    of plan item ``n``: its multi-instance parent, one child per occurrence, and the join
    and end tasks Spiff predicts below them. An *occurrence* part (key = the id of its
    multi-instance child, ``branch`` = its branch's key) holds that occurrence's
    sub-processes, and ``next_timer_at`` its earliest pending timer.
    """

    branch: str | None
    text: str
    next_timer_at: dt.datetime | None = None


@dataclass(frozen=True)
class SavedState:
    """An instance's state: the trunk (the top-level workflow without its branches) and parts.

    Run.serialize() returns the trunk and the parts the run restored; parts it did not
    restore are unchanged and need not be written again.
    """

    trunk: str
    parts: dict[str, Part]

    def select(self, occurrence_ids: Iterable[str] = (), *, due_by: dt.datetime | None = None,
               whole: bool = False) -> dict[str, Part]:
        """The parts a run needs to act on these occurrences (or on those due by ``due_by``).

        ``whole`` adds every branch: the whole top-level workflow, needed when an occurrence
        finishes the last work of its branch and the plan's join has to look at all of them.
        """
        wanted = {k for k in occurrence_ids if k in self.parts}
        if due_by is not None:
            wanted |= {k for k, p in self.parts.items()
                       if p.next_timer_at is not None and p.next_timer_at <= due_by}
        keys = wanted | {b for k in wanted if (b := self.parts[k].branch) is not None}
        if whole:
            keys |= {k for k, p in self.parts.items() if p.branch is None}
        return {k: p for k, p in self.parts.items() if k in keys}

    def merged(self, newer: SavedState) -> SavedState:
        """This state with a later run's trunk and parts written over it."""
        return SavedState(newer.trunk, {**self.parts, **newer.parts})


# --- migrations -------------------------------------------------------------------------

Step = Callable[[str, dict[str, Part]], tuple[str, dict[str, Part]]]


def state_version(trunk: str) -> tuple[str, str]:
    """(state format, serializer version) of a saved trunk, read from its header."""
    try:
        header = json.loads(trunk.split("\n", 1)[0])
    except ValueError as exc:
        raise StateError(f"the workflow state is not JSON: {exc}") from exc
    if not isinstance(header, dict):
        raise StateError("the workflow state has no header")
    return str(header.get("format")), str(header.get("serializer_version"))


def needs_migration(trunk: str) -> bool:
    return state_version(trunk) != CURRENT


def migrate(trunk: str, parts: Mapping[str, Part]) -> tuple[str, dict[str, Part]]:
    """The trunk and parts in the current (format, serializer version), step by step."""
    current = dict(parts)
    seen: set[tuple[str, str]] = set()
    while (version := state_version(trunk)) != CURRENT:
        step = MIGRATIONS.get(version)
        if step is None or version in seen:
            raise StateError(
                f"no migration for workflow state format {version[0]!r} written by "
                f"serializer {version[1]!r} (this Hạn writes {CURRENT[0]!r} with serializer "
                f"{CURRENT[1]!r})"
            )
        seen.add(version)
        trunk, current = step(trunk, current)
    return trunk, current


def _branches_of(tasks: Mapping[str, Any]) -> dict[str, str | None]:
    """Top-level task id → the branch (``Task_<n>``) it belongs to, or None (trunk)."""
    found: dict[str, str | None] = {}

    def branch(task_id: str) -> str | None:
        if task_id not in found:
            task = tasks[task_id]
            name = task["task_spec"]
            parent = task.get("parent")
            found[task_id] = name if BRANCH_SPEC.match(name) else (
                branch(parent) if parent in tasks else None
            )
        return found[task_id]

    for task_id in tasks:
        branch(task_id)
    return found


def _han1_to_han2(trunk: str, parts: dict[str, Part]) -> tuple[str, dict[str, Part]]:
    """han-1 (until November 2026): the whole state in one text, no parts.

    Its first line was a header with the top-level workflow and each occurrence's next timer;
    each further line was ``<occurrence id> <its sub-processes>``. han-2 splits the top-level
    tasks by branch and keeps each occurrence's sub-processes and next timer in a part.
    The Spiff dictionaries are unchanged, so the serializer version stays.
    """
    lines = trunk.split("\n")
    header = json.loads(lines[0])
    occurrences = dict(line.split(" ", 1) for line in lines[1:] if line)
    timers: dict[str, str | None] = header.get("timers", {})
    workflow = header["workflow"]
    tasks: dict[str, Any] = workflow["tasks"]
    branch_of = _branches_of(tasks)
    trunk_tasks: dict[str, Any] = {}
    branch_tasks: dict[str, dict[str, Any]] = {}
    for task_id, task in tasks.items():
        branch = branch_of[task_id]
        (trunk_tasks if branch is None else branch_tasks.setdefault(branch, {}))[task_id] = task
    migrated = dict(parts)
    for key, group in branch_tasks.items():
        migrated[key] = Part(None, json.dumps(group, separators=_COMPACT))
    for key, text in occurrences.items():
        if branch_of.get(key) is None:
            raise StateError(f"han-1 state: occurrence {key} is in no branch")
        timer = timers.get(key)
        migrated[key] = Part(branch_of[key], text,
                             TimerEventDefinition.get_datetime(timer) if timer else None)
    workflow["tasks"] = trunk_tasks
    new_trunk = json.dumps({
        "format": "han-2",
        "serializer_version": header["serializer_version"],
        "branches": [b for b in dict.fromkeys(branch_of.values()) if b is not None],
        "workflow": workflow,
    }, separators=_COMPACT)
    return new_trunk, migrated


# (state format, serializer version) → the step that brings it one version closer to CURRENT.
MIGRATIONS: dict[tuple[str, str], Step] = {
    ("han-1", "1.5"): _han1_to_han2,
}
