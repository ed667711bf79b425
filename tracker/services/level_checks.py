"""When the level the city records needs a confirmation: far above the registration or the progress.

The rule, said on the city's form too:

- a level more than one above the commune's registered level (Mức độ 1 registered, Mức độ 3
  or 4 recorded) needs a confirmation;
- Mức độ n needs at least (n - 1) × 25% of the year's tasks done (Mức độ 1: any progress,
  Mức độ 2: 25%, Mức độ 3: 50%, Mức độ 4: 75%); a higher level needs a confirmation. A
  commune with no task in the year has no progress to measure, and this part does not apply.

A confirmation is the city's explicit tick and a written reason, kept on the ``CommuneLevel``
row (``override_reason``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from tracker.i18n import _
from tracker.models import Commune, CommuneLevel
from tracker.services import rollups

PROGRESS_STEP = 0.25  # each level above Mức độ 1 needs another quarter of the tasks done


@dataclass(frozen=True)
class LevelBasis:
    """What the city's form shows beside the level: the registration and the progress."""

    registered_level: int | None
    progress: float | None  # done / all of the year's tasks; None without tasks

    @property
    def supported_level(self) -> int | None:
        """The highest level the progress supports (Mức độ 1 at least); None: no tasks."""
        if self.progress is None:
            return None
        return min(4, 1 + math.floor(self.progress / PROGRESS_STEP + 1e-9))


def basis(commune: Commune, year: int, row: CommuneLevel | None, day: dt.date) -> LevelBasis:
    progress = rollups.commune_rollup(commune, year, day).total.progress
    return LevelBasis(row.registered_level if row is not None else None, progress)


def warnings(reached_level: int | None, level_basis: LevelBasis) -> list[str]:
    """Why recording ``reached_level`` needs a confirmation; empty when it does not."""
    if reached_level is None or reached_level <= 1:
        return []
    found = []
    registered = level_basis.registered_level
    if registered is not None and reached_level > registered + 1:
        found.append(
            _(
                "Mức độ %(reached)d cao hơn mức đăng ký (Mức độ %(registered)d) quá một mức.",
                reached=reached_level,
                registered=registered,
            )
        )
    supported = level_basis.supported_level
    if supported is not None and reached_level > supported:
        found.append(
            _(
                "Mức độ %(reached)d cần ít nhất %(needed)d%% việc đã hoàn thành; tiến độ hiện "
                "là %(progress)d%%.",
                reached=reached_level,
                needed=round((reached_level - 1) * PROGRESS_STEP * 100),
                progress=math.floor((level_basis.progress or 0.0) * 100),
            )
        )
    return found
