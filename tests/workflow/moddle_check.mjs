// Import BPMN files with bpmn-moddle (the parser of bpmn.io) and report its warnings.
// Usage: node tests/workflow/moddle_check.mjs FILE...  → one JSON line per file.
import { readFile } from "node:fs/promises";
import { BpmnModdle } from "bpmn-moddle";

const moddle = new BpmnModdle();
let failed = false;
for (const path of process.argv.slice(2)) {
  const xml = await readFile(path, "utf8");
  try {
    const { rootElement, warnings } = await moddle.fromXML(xml, "bpmn:Definitions");
    const processes = rootElement.rootElements.filter((e) => e.$type === "bpmn:Process");
    const userTasks = [];
    const walk = (container) => {
      for (const el of container.flowElements || []) {
        if (el.$type === "bpmn:UserTask") userTasks.push(el.id);
        if (el.$type === "bpmn:SubProcess") walk(el);
      }
    };
    processes.forEach(walk);
    console.log(JSON.stringify({
      path,
      warnings: warnings.map((w) => w.message),
      userTasks: userTasks.length,
      diagrams: rootElement.diagrams.length,
    }));
    if (warnings.length) failed = true;
  } catch (error) {
    console.log(JSON.stringify({ path, error: String(error) }));
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
