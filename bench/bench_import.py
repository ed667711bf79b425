"""Time importing the five seeds and the nine real plans: ``python bench/bench_import.py [rounds]``.

A plain script, not a test. The real plans are read from ../shared/realplans (or
$HAN_SHARED/realplans), never copied into the project; without them only the seeds are
timed, and the script says so. "Cold" is the first round in a fresh process (it loads the
commune list, python-docx and fills the syllable caches); "warm" is the median of the
rounds after it; CPU time is printed beside the wall clock, which a busy machine inflates.
The target: all of them under 1 s in process.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.importing import read_plan  # noqa: E402

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
REAL = Path(os.environ.get("HAN_SHARED", ROOT.parent / "shared")) / "realplans"


def real_plans() -> list[Path]:
    gold = REAL / "gold.json"
    if not gold.exists():
        return []
    names = json.loads(gold.read_text(encoding="utf-8"))
    return [REAL / name for name in names if not name.startswith("_")]


def import_all(paths: list[Path]) -> int:
    return sum(len(read_plan(path).tasks) for path in paths)


def main(rounds: int = 10) -> None:
    real = real_plans()
    paths = [*SEEDS, *real]
    start, cpu = time.perf_counter(), time.process_time()
    tasks = import_all(paths)
    cold, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
    timings, cpu_timings = [], []
    for _ in range(rounds):
        start, cpu = time.perf_counter(), time.process_time()
        import_all(paths)
        timings.append(time.perf_counter() - start)
        cpu_timings.append(time.process_time() - cpu)
    warm = statistics.median(timings)
    print(f"{len(SEEDS)} seeds and {len(real)} real plans, {tasks} tasks")
    if not real:
        print(f"(no real plans at {REAL}: seeds only)")
    print(f"cold (first round): {cold * 1000:.0f} ms ({cold_cpu * 1000:.0f} ms CPU)")
    print(
        f"warm (median of {rounds}): {warm * 1000:.0f} ms, best {min(timings) * 1000:.0f} ms"
        f" ({statistics.median(cpu_timings) * 1000:.0f} ms CPU)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
