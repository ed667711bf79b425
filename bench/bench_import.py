"""Time importing all five seed documents: ``python bench/bench_import.py [rounds]``.

A plain script, not a test. "Cold" is the first round in a fresh process (it loads the
commune list and fills the syllable caches); "warm" is the median of the rounds after it.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.importing import read_plan  # noqa: E402

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def import_all() -> int:
    return sum(len(read_plan(path).tasks) for path in SEEDS)


def main(rounds: int = 20) -> None:
    start = time.perf_counter()
    tasks = import_all()
    cold = time.perf_counter() - start
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        import_all()
        timings.append(time.perf_counter() - start)
    warm = statistics.median(timings)
    print(f"{len(SEEDS)} seeds, {tasks} tasks")
    print(f"cold (first round): {cold * 1000:.0f} ms")
    print(f"warm (median of {rounds}): {warm * 1000:.0f} ms, best {min(timings) * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
