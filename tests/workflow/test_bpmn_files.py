"""The committed BPMN of every seed plan: current, valid for Spiff, clean for bpmn-moddle."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from tests.tools import require_tool
from tracker.importing import read_plan
from tracker.importing.communes import find_commune
from tracker.workflow.generator import generate_bpmn, short_label
from tracker.workflow.plan import process_plan_from_draft
from tracker.workflow.specs import validate_bpmn

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
      "spiff": "http://spiffworkflow.org/bpmn/schema/1.0/core"}


def _process(seed: Path):  # type: ignore[no-untyped-def]
    draft = read_plan(seed)
    found = find_commune(draft.commune) if draft.commune else None
    return draft, process_plan_from_draft(draft, found.slug if found else None)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_committed_bpmn_is_what_the_generator_makes(seed: Path) -> None:
    _, process = _process(seed)
    committed = ROOT / "workflows" / f"{process.slug}.bpmn"
    assert committed.read_text(encoding="utf-8") == generate_bpmn(process), (
        f"{committed} is stale: run `tracker workflow build seeds/*.txt`"
    )


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_every_plan_item_is_a_user_task_in_its_lead_lane(seed: Path) -> None:
    draft, process = _process(seed)
    xml = (ROOT / "workflows" / f"{process.slug}.bpmn").read_text(encoding="utf-8")
    spec = validate_bpmn(xml, process.slug)  # Spiff's parser with its XSD validator
    assert sorted(spec.task_properties) == list(range(1, len(draft.tasks) + 1))
    root = etree.fromstring(xml.encode())
    for position, task in enumerate(draft.tasks, start=1):
        lead = task.lead_units[0] if task.lead_units else process.focal_unit
        user_task = root.xpath(f"//bpmn:userTask[@id='Task_{position}_do']", namespaces=NS)[0]
        props = {p.get("name"): p.get("value") for p in user_task.xpath(".//spiff:property",
                                                                        namespaces=NS)}
        assert props["ref"] == task.ref and props["title"] == task.title
        # The diagram shows a label that fits its box; the full annex text is documentation.
        assert user_task.get("name") == short_label(task.title)
        assert user_task.xpath("string(bpmn:documentation)", namespaces=NS) == task.title
        lanes = root.xpath(f"//bpmn:lane[bpmn:flowNodeRef='Task_{position}_do']/@name",
                           namespaces=NS)
        assert lanes == [lead]
        top = root.xpath(f"//bpmn:lane[bpmn:flowNodeRef='Task_{position}']/@name", namespaces=NS)
        assert top == [lead]


def test_bpmn_moddle_imports_every_file_without_warnings() -> None:
    require_tool(shutil.which("node") is not None
                 and (ROOT / "node_modules" / "bpmn-moddle").is_dir(),
                 "node or bpmn-moddle is missing (npm ci)")
    files = sorted(str(p) for p in (ROOT / "workflows").glob("*.bpmn"))
    assert len(files) == len(SEEDS)
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "workflow" / "moddle_check.mjs"), *files],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0, result.stdout + result.stderr
    for report in reports:
        assert report["warnings"] == [] and report["userTasks"] > 0
        # the pool, plus a drill-down diagram per sub-process (two per plan item)
        assert report["diagrams"] == report["userTasks"] + 1


def test_short_label_cuts_at_a_word_and_keeps_short_text() -> None:
    assert short_label("Báo cáo tự đánh giá") == "Báo cáo tự đánh giá"
    long = "Tuyên truyền, phổ biến các văn bản về Chính quyền thân thiện, trọng tâm là: Đề án"
    label = short_label(long, limit=40)
    assert label == "Tuyên truyền, phổ biến các văn bản về…"
    assert len(label) <= 40
