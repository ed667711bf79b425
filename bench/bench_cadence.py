"""Benchmark of the deadline engine (a plain script, not a test).

Takes every task's "Thời gian thực hiện" phrase from the five seed documents (read by the
importer, outside the timing), then parses each one and expands it over 2026-2030, over and
over, and prints phrases per second of wall-clock time and per CPU-second of this process. On a
machine shared with other work the CPU figure is the one to compare between versions.

    .venv/bin/python bench/bench_cadence.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from tracker.cadence import PlanContext, parse_cadence
from tracker.importing import read_plan

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
START, END = dt.date(2026, 1, 1), dt.date(2030, 12, 31)


def seed_phrases() -> list[str]:
    """Every task's time phrase in the five seeds, as the importer hands them to the engine."""
    plans = [read_plan(path) for path in sorted(SEEDS.glob("*.txt"))]
    return [task.time_text for plan in plans for task in plan.tasks]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to run")
    args = parser.parse_args()
    phrases = seed_phrases()
    ctx = PlanContext(issued_on=dt.date(2026, 4, 17), years=(2026, 2027, 2028, 2029, 2030))
    understood = sum(parse_cadence(p, ctx).understood for p in phrases)
    done, occurrences = 0, 0
    began, began_cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - began < args.seconds:
        for phrase in phrases:
            occurrences += len(parse_cadence(phrase, ctx).occurrences(START, END))
        done += len(phrases)
    elapsed, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    print(f"{len(phrases)} seed phrases ({len(set(phrases))} distinct), {understood} understood")
    print(f"parsed and expanded over 2026-2030: {done} phrases, {occurrences} occurrences "
          f"in {elapsed:.2f} s")  # fmt: skip
    print(f"{done / elapsed:,.0f} phrases/second")
    print(f"{done / cpu:,.0f} phrases/CPU-second")


if __name__ == "__main__":
    main()
