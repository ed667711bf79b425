"""The committed BPMN files render in bpmn.io's own viewer (bpmn-js, in Debian's chromium).

bpmn-moddle (tests/workflow) proves the XML reads cleanly; this proves the diagram draws: every
plan item is a shape on the canvas, and bpmn-js reports no import warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.e2e.conftest import ARTIFACTS
from tests.tools import require_tool

ROOT = Path(__file__).resolve().parent.parent.parent
VIEWER = ROOT / "node_modules" / "bpmn-js" / "dist" / "bpmn-viewer.production.min.js"
BPMN_FILES = sorted((ROOT / "workflows").glob("*.bpmn"))
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}

RENDER = """async (xml) => {
  const viewer = new BpmnJS({container: '#canvas'});
  try {
    const result = await viewer.importXML(xml);
    viewer.get('canvas').zoom('fit-viewport');
    const ids = viewer.get('elementRegistry').getAll().map(e => e.id);
    return {warnings: result.warnings.map(w => w.message), ids: ids};
  } catch (error) {
    return {error: String(error)};
  }
}"""


@pytest.mark.browser
@pytest.mark.parametrize("bpmn", BPMN_FILES, ids=[p.stem for p in BPMN_FILES])
def test_bpmn_file_renders_in_bpmn_js(bpmn: Path, browser: Any) -> None:
    require_tool(VIEWER.exists(), "bpmn-js is not installed (npm ci)")
    xml = bpmn.read_text(encoding="utf-8")
    plan_items = etree.fromstring(xml.encode()).xpath(
        "//bpmn:process/bpmn:subProcess/@id", namespaces=NS
    )
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    try:
        page.set_content('<div id="canvas" style="width:1600px;height:1000px"></div>')
        page.add_script_tag(path=str(VIEWER))
        result = page.evaluate(RENDER, xml)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"bpmn-{bpmn.stem}.png"))
    finally:
        page.close()
    assert "error" not in result, result.get("error")
    assert result["warnings"] == []
    assert plan_items, "a plan process has one sub-process per plan item"
    assert set(plan_items) <= set(result["ids"])
