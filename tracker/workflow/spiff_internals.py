"""Every use of SpiffWorkflow's private internals, in one place.

Written against **SpiffWorkflow 3.2.0** (its BPMN serializer writes version 1.5), which
``pyproject.toml`` pins exactly for as long as this module exists. Before moving the pin,
read each function below against the new release's source, then change
:data:`WRITTEN_AGAINST` (``tests/workflow/test_state_migrations.py`` fails until then) and
add a state migration if the serializer version moved (``tracker.workflow.state``).

What we rely on, and why:

* a task's *internal data* (``Task._get_internal_data`` / ``_set_internal_data``): where
  Spiff's own ``TimeDateEventDefinition`` keeps a timer's evaluated date and whether it fired;
  our clocked timer keeps them in the same place, so saved states look like Spiff's;
* a task's parent id (``Task._parent``): reading ``Task.parent`` looks the parent up in the
  workflow, which fails for a parent left out of a partial restore;
* the serializer's JSON encoder class (``BpmnWorkflowSerializer._encoder_cls``) and the
  registry's encoding flag (``DefaultRegistry._encoder_mode``): ``registry.convert`` alone
  leaves dates and UUIDs as objects unless the flag is set, and the public ``serialize_json``
  would write the spec we store once elsewhere, and every branch at once;
* that a multi-instance task merges its children only once it has connected itself to the
  child spec's ``completed_event``, which Spiff does when it creates children
  (``MultiInstanceTask.create_child``) and never on restore: a process that restores an
  instance without having started one of the same spec would never finish it. We connect
  every multi-instance task when the spec is parsed (:func:`connect_multi_instance_merges`);
* the workflow converter's parent ``to_dict`` (skipping ``BpmnWorkflowConverter.to_dict``,
  which adds the spec and all sub-processes) and its ``mapping_from_dict`` /
  ``set_default_attributes`` / ``subprocesses_from_dict`` helpers.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

WRITTEN_AGAINST = "3.2.0"

# The registry switches a shared flag while encoding: one serialization at a time.
_ENCODING_LOCK = threading.Lock()


def internal_data(task: Any, name: str, default: Any = None) -> Any:
    """A value Spiff keeps in the task's internal data (not the process's task data)."""
    return task._get_internal_data(name, default)


def set_internal_data(task: Any, **values: Any) -> None:
    task._set_internal_data(**values)


def forget_internal_data(task: Any, name: str) -> None:
    """Drop a value from the task's internal data (a timer's evaluated date, to read again)."""
    task.internal_data.pop(name, None)


def parent_id(task: Any) -> UUID | None:
    """The id of the task's parent, without looking the parent up in the workflow."""
    parent: UUID | None = task._parent
    return parent


def connect_multi_instance_merges(process_specs: Iterable[Any]) -> None:
    """Connect each multi-instance (and loop) task to the completion of its child spec, as
    ``create_child`` would, so that a restored instance merges its children too."""
    for process_spec in process_specs:
        for task_spec in process_spec.task_specs.values():
            if isinstance(task_spec, LoopTask):  # multi-instance tasks are loop tasks
                child = process_spec.task_specs[task_spec.task_spec]
                if not child.completed_event.is_connected(task_spec.merge_child):
                    child.completed_event.connect(task_spec.merge_child)


@contextmanager
def encoding(serializer: BpmnWorkflowSerializer) -> Iterator[type[json.JSONEncoder]]:
    """While open, ``serializer.registry.convert`` returns JSON-ready values; yields the
    encoder class to pass to ``json.dumps``."""
    registry = serializer.registry
    with _ENCODING_LOCK:
        registry._encoder_mode = True
        try:
            yield serializer._encoder_cls
        finally:
            registry._encoder_mode = False


class StatelessWorkflowConverter(BpmnWorkflowConverter):  # type: ignore[misc]
    """The top-level workflow without its spec and without its sub-processes.

    The spec is parsed once and cached; the sub-processes are saved one part per occurrence
    (see ``tracker.workflow.engine.Run.serialize``) so that an action restores only the
    occurrence it touches.
    """

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = super(BpmnWorkflowConverter, self).to_dict(workflow)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any], spec: Any = None, subprocess_specs: Any = None,
                  script_engine: Any = None,
                  subprocesses: dict[str, Any] | None = None) -> BpmnWorkflow:
        workflow = self.target_class(
            spec, subprocess_specs, script_engine=script_engine, deserializing=True
        )
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dict(subprocesses or {}), workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow
