"""Benchmark of the deadline engine (a plain script, not a test).

Collects every "Thời gian thực hiện" phrase of the seed documents (the same way the seed
tests do: the annex tables' column, the "Thời gian thực hiện:" lines, Phú Thái's targets
table, plus the phrases of Vĩnh Bảo's broken annex), then parses each one and expands it over
2026-2030, over and over, and prints phrases per second.

    .venv/bin/python bench/bench_cadence.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import time
from pathlib import Path

from tracker.cadence import PlanContext, parse_cadence

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
VINH_BAO = [
    "Hằng   năm",
    "Trước ngày 15/02 \nhằng năm",
    "Thường xuyên",
    "Trước ngày 15/11\n hằng năm",
    "Tháng 12 hằng năm",
    "Năm 2027 \nvà năm 2030",
]
START, END = dt.date(2026, 1, 1), dt.date(2030, 12, 31)


def seed_phrases() -> list[str]:
    """Every time phrase of the seeds, one per table row or line (repeats kept)."""
    found: list[str] = []
    for path in sorted(SEEDS.glob("00[0-3]_*.txt")):
        text = path.read_text(encoding="utf-8")
        header: list[str] | None = None
        for line in text.splitlines():
            cells = line.split("\t")
            if "Thời gian thực hiện" in cells or "Thời điểm" in cells:
                header = ["Thời gian thực hiện" if c == "Thời điểm" else c for c in cells]
                continue
            if header and len(cells) == len(header):
                cell = cells[header.index("Thời gian thực hiện")].strip()
                if cell:
                    found.append(cell)
        found += [
            m.group(1).strip() for m in re.finditer(r"Thời gian(?: thực hiện)?\*?:\*? ?(.+)", text)
        ]
    return found + VINH_BAO


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to run")
    args = parser.parse_args()
    phrases = seed_phrases()
    ctx = PlanContext(issued_on=dt.date(2026, 4, 17), years=(2026, 2027, 2028, 2029, 2030))
    understood = sum(parse_cadence(p, ctx).understood for p in phrases)
    done, occurrences = 0, 0
    began = time.perf_counter()
    while time.perf_counter() - began < args.seconds:
        for phrase in phrases:
            occurrences += len(parse_cadence(phrase, ctx).occurrences(START, END))
        done += len(phrases)
    elapsed = time.perf_counter() - began
    print(f"{len(phrases)} seed phrases ({len(set(phrases))} distinct), {understood} understood")
    print(f"parsed and expanded over 2026-2030: {done} phrases, {occurrences} occurrences "
          f"in {elapsed:.2f} s")  # fmt: skip
    print(f"{done / elapsed:,.0f} phrases/second")


if __name__ == "__main__":
    main()
