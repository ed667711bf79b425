"""Timers that read our clock instead of the wall clock, and the parser that makes them.

SpiffWorkflow 3.2 reads the wall clock in its timer event definitions (the current UTC
time, in ``TimeDateEventDefinition.has_fired``). We parse every ``timeDate`` timer into
:class:`ClockedTimeDateEventDefinition`, which asks the workflow's script engine for the
time; each run gets its own :class:`ClockedScriptEngine` holding our
:class:`~tracker.clock.Clock`. Nothing global is patched, so runs on different clocks can
share a thread pool. Duration and cycle timers, which would read the wall clock (and treat
P1Y as 365 days), are refused when parsing (:class:`ClockedParser`).

(``Task.last_state_change`` still comes from Spiff's own reading of the wall clock; Spiff
only logs it, and we never read it.)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from SpiffWorkflow.bpmn.parser.BpmnParser import full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.util import PendingBpmnEvent
from SpiffWorkflow.spiff.parser import SpiffBpmnParser
from SpiffWorkflow.spiff.parser.event_parsers import (
    SpiffBoundaryEventParser,
    SpiffIntermediateCatchEventParser,
    SpiffStartEventParser,
)

from tracker.clock import Clock
from tracker.workflow import spiff_internals
from tracker.workflow.errors import WorkflowError

__all__ = ["ClockedParser", "ClockedScriptEngine", "ClockedTimeDateEventDefinition"]

_NEVER = ""  # event_value of a timer whose date is None: it never fires


class ClockedScriptEngine(PythonScriptEngine):  # type: ignore[misc]
    """Spiff's Python script engine, carrying the clock its run reads "now" from."""

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock


def _now(my_task: Any) -> dt.datetime:
    engine = my_task.workflow.script_engine
    clock = getattr(engine, "clock", None)
    if clock is None:
        raise WorkflowError("a Hạn workflow must run with a ClockedScriptEngine")
    now: dt.datetime = clock.now()
    return now


class ClockedTimeDateEventDefinition(TimeDateEventDefinition):  # type: ignore[misc]
    """A ``timeDate`` timer that asks our clock, and never fires when its date is None.

    None is how a task without a deadline ("không thời hạn") says so in the instance data.
    """

    def _event_value(self, my_task: Any) -> str:
        value = spiff_internals.internal_data(my_task, "event_value")
        if value is None:
            evaluated = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            value = _NEVER if evaluated is None else str(evaluated)
            spiff_internals.set_internal_data(my_task, event_value=value)
        return str(value)

    def has_fired(self, my_task: Any) -> bool:
        value = self._event_value(my_task)
        if value != _NEVER and TimerEventDefinition.get_datetime(value) < _now(my_task):
            spiff_internals.set_internal_data(my_task, event_fired=True)
        return bool(spiff_internals.internal_data(my_task, "event_fired", False))

    def details(self, my_task: Any) -> PendingBpmnEvent:
        value = self._event_value(my_task)
        return PendingBpmnEvent(self.name, self.__class__.__name__, value or None)


class _ClockedTimerParser:
    """Parser mixin: timeDate timers become clocked; other timers are refused."""

    def parse_timer_event(self, event: Any) -> TimerEventDefinition:
        definition = super().parse_timer_event(event)  # type: ignore[misc]
        if isinstance(definition, DurationTimerEventDefinition | CycleTimerEventDefinition):
            raise ValidationException(
                "only timeDate timers are supported (durations and cycles read the wall "
                "clock; P1Y would be 365 days)",
                node=self.node,  # type: ignore[attr-defined]
                file_name=self.filename,  # type: ignore[attr-defined]
            )
        return ClockedTimeDateEventDefinition(
            definition.name, definition.expression, description=definition.description
        )


class _BoundaryParser(_ClockedTimerParser, SpiffBoundaryEventParser):  # type: ignore[misc]
    pass


class _CatchParser(_ClockedTimerParser, SpiffIntermediateCatchEventParser):  # type: ignore[misc]
    pass


class _StartParser(_ClockedTimerParser, SpiffStartEventParser):  # type: ignore[misc]
    pass


class ClockedParser(SpiffBpmnParser):  # type: ignore[misc]
    """Spiff's BPMN parser with the clocked timer parsers above."""

    OVERRIDE_PARSER_CLASSES = {  # noqa: RUF012
        **SpiffBpmnParser.OVERRIDE_PARSER_CLASSES,
        full_tag("boundaryEvent"): (
            _BoundaryParser, SpiffBpmnParser.OVERRIDE_PARSER_CLASSES[full_tag("boundaryEvent")][1]
        ),
        full_tag("intermediateCatchEvent"): (
            _CatchParser,
            SpiffBpmnParser.OVERRIDE_PARSER_CLASSES[full_tag("intermediateCatchEvent")][1],
        ),
        full_tag("startEvent"): (
            _StartParser, SpiffBpmnParser.OVERRIDE_PARSER_CLASSES[full_tag("startEvent")][1]
        ),
    }
