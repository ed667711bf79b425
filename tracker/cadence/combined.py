"""Several deadlines in one phrase, each read on its own (:class:`Combined`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from tracker.cadence.model import Kind, PlanContext
from tracker.cadence.schedule import Schedule, Slot, Years
from tracker.cadence.spec import Spec
from tracker.cadence.wording import joined


class Combined(Schedule):
    """Several deadlines in one phrase, read one by one: "đợt 1 trước ngày 30 tháng 4; đợt 2
    trước ngày 30 tháng 9 hằng năm", "trước 20/6 đối với báo cáo 6 tháng, trước 20/11 đối
    với báo cáo năm". Each part keeps its own qualifier; all must be of one kind (else the
    phrase is unknown), and a year scope said once holds for every part."""

    def __init__(self, specs: Sequence[Spec], ctx: PlanContext) -> None:
        scopes = [s.scope for s in specs if not s.scope.is_empty]
        if scopes and all(scope == scopes[0] for scope in scopes):
            for spec in specs:
                if spec.scope.is_empty:
                    spec.scope = replace(scopes[0], years=set(scopes[0].years))
        self.parts = [Schedule(spec, ctx) for spec in specs]
        super().__init__(specs[0], ctx)
        kinds = {part.kind for part in self.parts}
        undated = {Kind.UNKNOWN, Kind.ONGOING, Kind.ON_DEMAND}
        self.kind = kinds.pop() if len(kinds) == 1 and not kinds & undated else Kind.UNKNOWN
        ranges = tuple(r for part in self.parts for r in part.years.ranges)
        explicit = frozenset(y for part in self.parts for y in part.years.explicit)
        self.years = Years(explicit, ranges)

    def slots(self, low: int, high: int) -> Iterator[Slot]:
        if self.kind is Kind.UNKNOWN:
            return
        for number, part in enumerate(self.parts, 1):
            name = part.spec.label  # the document's own words: "đợt 1", "báo cáo năm"
            for slot in part.slots(low, high):
                label = joined(": ", (name, slot.label)) if name else slot.label
                yield replace(slot, key=f"{slot.key}-d{number}", label=label)

    def rrule(self) -> str | None:
        return None


def combine(specs: Sequence[Spec], ctx: PlanContext) -> Combined:
    return Combined(specs, ctx)
