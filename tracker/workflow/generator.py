"""Plan → BPMN 2.0: one executable process per plan, with its diagram.

Shape of the process (docs/workflows.md explains why):

* a pool with a lane per lead unit (the focal unit's lane first);
* start → parallel split → one *occurrence sub-process* per plan item → parallel join → end;
* each occurrence sub-process is a parallel multi-instance over that task's occurrences in
  the instance's year (the data input ``occurrences_<n>``, one item ``occurrence_<n>``);
* inside it, the *work* sub-process — the lead unit does and submits the work, the focal
  unit reviews, approve or return with a comment and loop back — carries the deadline: a
  non-interrupting ``timeDate`` boundary timer reading ``occurrence_<n>["due_at"]``. Its
  path marks the occurrence overdue and throws the escalation to the chairman. Because it
  sits on the work sub-process, not on a user task, returns never re-arm it: it fires once.
"""

from __future__ import annotations

import math

from lxml import etree

from tracker.workflow.layout import (
    ACTIVITY,
    BPMNDI,
    DC,
    DI,
    EVENT,
    GATEWAY,
    Box,
    Plane,
    write_diagrams,
)
from tracker.workflow.plan import ProcessPlan, ProcessTask

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "spiffworkflow": SPIFF, "xsi": XSI}

ESCALATION_ID = "Escalation_chairman"
ESCALATION_CODE = "chairman"
APPROVE = "approve"
RETURN = "return"

# Main diagram geometry.
POOL_X, POOL_Y = 100.0, 60.0
LABEL_BAND = 30.0  # the pool's and each lane's name band
COLUMNS = 8
STEP_X = 190.0
PLAN_TASK = (150.0, 90.0)  # wider than the notation's 100 × 80: plan items carry long names
ROW_H = 160.0


def _q(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{NSMAP[prefix]}}}{local}"


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _q(tag), {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _formal(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = _el(parent, tag, text)
    element.set(f"{{{XSI}}}type", "bpmn:tFormalExpression")
    return element


class _Flows:
    """Sequence flows of one container, with incoming/outgoing written on their nodes."""

    def __init__(self, container: etree._Element) -> None:
        self.container = container
        self.nodes: dict[str, etree._Element] = {}
        self.pending: list[tuple[str, str, str, str | None, str | None]] = []

    def node(self, tag: str, node_id: str, name: str | None = None, **attrs: str) -> etree._Element:
        element = _el(self.container, tag, id=node_id, name=name, **attrs)
        self.nodes[node_id] = element
        return element

    def flow(self, flow_id: str, source: str, target: str, *, name: str | None = None,
             condition: str | None = None) -> str:
        self.pending.append((flow_id, source, target, name, condition))
        return flow_id

    def write(self) -> None:
        """Write the flows, and each node's incoming/outgoing in the schema's order."""
        for flow_id, source, target, name, condition in self.pending:
            flow = _el(self.container, "bpmn:sequenceFlow", id=flow_id, name=name,
                       sourceRef=source, targetRef=target)
            if condition is not None:
                _formal(flow, "bpmn:conditionExpression", condition)
        for node_id, element in self.nodes.items():
            refs = [("bpmn:incoming", f) for f, _, t, _, _ in self.pending if t == node_id]
            refs += [("bpmn:outgoing", f) for f, s, _, _, _ in self.pending if s == node_id]
            # incoming/outgoing follow documentation/extensionElements, precede the rest.
            anchor = 0
            for index, child in enumerate(element):
                if etree.QName(child).localname in {"documentation", "extensionElements"}:
                    anchor = index + 1
            for offset, (tag, flow_id) in enumerate(refs):
                ref = etree.Element(_q(tag))
                ref.text = flow_id
                element.insert(anchor + offset, ref)


def _properties(element: etree._Element, values: dict[str, str | None]) -> None:
    ext = _el(element, "bpmn:extensionElements")
    props = _el(ext, "spiffworkflow:properties")
    for name, value in values.items():
        if value is not None and value != "":
            _el(props, "spiffworkflow:property", name=name, value=value)


def _points(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if value == int(value) else str(value)


def task_properties(task: ProcessTask, role: str) -> dict[str, str | None]:
    """The extension properties a modeler shows and the engine reads back."""
    return {
        "role": role,
        "position": str(task.position),
        "ref": task.ref,
        "title": task.title,
        "group": task.group,
        "lead_unit": task.lead_unit,
        "co_leads": "; ".join(task.co_leads) or None,
        "coordinating_units": "; ".join(task.coordinating_units) or None,
        "time_text": task.time_text,
        "points": _points(task.points),
        "evidence": task.evidence,
    }


LABEL_CHARS = 70  # what a modeler can show inside a plan item's box


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """The text cut at a word boundary to fit a diagram box; the full text is documentation."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-–")
    return f"{cut}…"


def _documentation(element: etree._Element, text: str) -> None:
    """bpmn:documentation comes first among an element's children (the XSD's order)."""
    doc = etree.Element(_q("bpmn:documentation"))
    doc.text = text
    element.insert(0, doc)


def generate_bpmn(plan: ProcessPlan) -> str:
    """The BPMN 2.0 XML of ``plan`` (UTF-8 text), deterministic for the same input."""
    root = etree.Element(
        _q("bpmn:definitions"),
        nsmap=NSMAP,
        id=f"Definitions_{plan.process_id}",
        targetNamespace="https://han.haiphong.gov.vn/bpmn",
        exporter="Hạn",
        exporterVersion="1",
    )
    _el(root, "bpmn:escalation", id=ESCALATION_ID, name="Chủ tịch UBND",
        escalationCode=ESCALATION_CODE)
    collaboration = _el(root, "bpmn:collaboration", id="Collaboration_1")
    _el(collaboration, "bpmn:participant", id="Participant_1",
        name=f"{plan.issuer}: {plan.title}", processRef=plan.process_id)
    process = _el(root, "bpmn:process", id=plan.process_id, name=plan.title, isExecutable="true")
    lanes_xml = _el(process, "bpmn:laneSet", id="LaneSet_1")
    lane_ids = {name: f"Lane_{i}" for i, name in enumerate(plan.lanes, start=1)}
    lane_refs: dict[str, list[str]] = {name: [] for name in plan.lanes}

    flows = _Flows(process)
    flows.node("bpmn:startEvent", "Plan_start", "Bắt đầu năm kế hoạch")
    flows.node("bpmn:parallelGateway", "Plan_split", "Giao nhiệm vụ")
    lane_refs[plan.focal_unit] += ["Plan_start", "Plan_split"]
    flows.flow("Flow_start", "Plan_start", "Plan_split")
    planes: list[Plane] = []
    for task in plan.tasks:
        node_id = _occurrence_subprocess(flows, task, plan.focal_unit, planes)
        lane_refs[task.lead_unit].append(node_id)
        flows.flow(f"Flow_{task.position}_in", "Plan_split", node_id)
        flows.flow(f"Flow_{task.position}_out", node_id, "Plan_join")
    flows.node("bpmn:parallelGateway", "Plan_join", "Tổng hợp kết quả")
    flows.node("bpmn:endEvent", "Plan_end", "Kết thúc năm kế hoạch")
    lane_refs[plan.focal_unit] += ["Plan_join", "Plan_end"]
    flows.flow("Flow_end", "Plan_join", "Plan_end")
    if not plan.tasks:
        flows.flow("Flow_empty", "Plan_split", "Plan_join")
    flows.write()

    for name in plan.lanes:
        lane = _el(lanes_xml, "bpmn:lane", id=lane_ids[name], name=name)
        for ref in lane_refs[name]:
            _el(lane, "bpmn:flowNodeRef", ref)

    main = _main_plane(plan, lane_ids)
    write_diagrams(root, [main, *planes])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()


def _occurrence_subprocess(flows: _Flows, task: ProcessTask, focal: str,
                           planes: list[Plane]) -> str:
    n = task.position
    node_id = f"Task_{n}"
    sub = flows.node("bpmn:subProcess", node_id, short_label(f"{task.ref}. {task.title}"))
    _documentation(sub, task.title)
    _properties(sub, task_properties(task, "occurrences"))
    # The occurrences are a data object of the process, read by this activity only (as
    # bpmn.io draws a data input association): they are stored once, not copied into the
    # task data every other branch carries.
    _el(flows.container, "bpmn:dataObject", id=f"occurrences_{n}",
        name=f"Các kỳ của nhiệm vụ {task.ref}", isCollection="true")
    _el(flows.container, "bpmn:dataObjectReference", id=f"occurrences_{n}_ref",
        name=f"Các kỳ của nhiệm vụ {task.ref}", dataObjectRef=f"occurrences_{n}")
    _el(sub, "bpmn:property", id=f"{node_id}_input", name="__targetRef_placeholder")
    reads = _el(sub, "bpmn:dataInputAssociation", id=f"{node_id}_reads")
    _el(reads, "bpmn:sourceRef", f"occurrences_{n}_ref")
    _el(reads, "bpmn:targetRef", f"{node_id}_input")
    loop = _el(sub, "bpmn:multiInstanceLoopCharacteristics")
    _el(loop, "bpmn:loopDataInputRef", f"occurrences_{n}")
    _el(loop, "bpmn:inputDataItem", id=f"occurrence_{n}", name="occurrence")

    inner = _Flows(sub)
    inner.node("bpmn:startEvent", f"{node_id}_start", "Kỳ thực hiện")
    work_id = f"{node_id}_work"
    work = inner.node("bpmn:subProcess", work_id, "Thực hiện và thẩm định")
    inner.node("bpmn:endEvent", f"{node_id}_end", "Hoàn thành kỳ")
    boundary = inner.node("bpmn:boundaryEvent", f"{node_id}_deadline", "Hạn hoàn thành",
                          attachedToRef=work_id, cancelActivity="false")
    timer = _el(boundary, "bpmn:timerEventDefinition", id=f"{node_id}_deadline_timer")
    _formal(timer, "bpmn:timeDate", f'occurrence_{n}["due_at"]')
    mark = inner.node("bpmn:scriptTask", f"{node_id}_mark", "Đánh dấu quá hạn",
                      scriptFormat="python")
    _el(mark, "bpmn:script", "overdue = True")
    escalate = inner.node("bpmn:intermediateThrowEvent", f"{node_id}_escalate",
                          "Báo cáo Chủ tịch UBND")
    _el(escalate, "bpmn:escalationEventDefinition", id=f"{node_id}_escalation",
        escalationRef=ESCALATION_ID)
    inner.node("bpmn:endEvent", f"{node_id}_end_overdue", "Đã báo cáo quá hạn")
    inner.flow(f"Flow_{n}_a", f"{node_id}_start", work_id)
    inner.flow(f"Flow_{n}_b", work_id, f"{node_id}_end")
    inner.flow(f"Flow_{n}_c", f"{node_id}_deadline", f"{node_id}_mark")
    inner.flow(f"Flow_{n}_d", f"{node_id}_mark", f"{node_id}_escalate")
    inner.flow(f"Flow_{n}_e", f"{node_id}_escalate", f"{node_id}_end_overdue")

    same_lane = task.lead_unit == focal
    lanes = _el(work, "bpmn:laneSet", id=f"{work_id}_lanes")
    wf = _Flows(work)
    wf.node("bpmn:startEvent", f"{work_id}_start", "Nhận nhiệm vụ")
    do = wf.node("bpmn:userTask", f"{node_id}_do", short_label(task.title))
    _documentation(do, task.title)
    _properties(do, task_properties(task, "do"))
    review = wf.node("bpmn:userTask", f"{node_id}_review", f"Thẩm định kết quả nhiệm vụ {task.ref}")
    _properties(review, {"role": "review", "position": str(n), "ref": task.ref,
                         "lead_unit": task.lead_unit, "reviewer_unit": focal})
    wf.node("bpmn:exclusiveGateway", f"{node_id}_decision", "Đạt yêu cầu?",
            default=f"Flow_{n}_return")
    wf.node("bpmn:endEvent", f"{work_id}_end", "Đã duyệt")
    wf.flow(f"Flow_{n}_w1", f"{work_id}_start", f"{node_id}_do")
    wf.flow(f"Flow_{n}_submit", f"{node_id}_do", f"{node_id}_review", name="Nộp kết quả")
    wf.flow(f"Flow_{n}_w2", f"{node_id}_review", f"{node_id}_decision")
    wf.flow(f"Flow_{n}_approve", f"{node_id}_decision", f"{work_id}_end", name="Duyệt",
            condition=f'review_outcome == "{APPROVE}"')
    wf.flow(f"Flow_{n}_return", f"{node_id}_decision", f"{node_id}_do",
            name="Trả lại, kèm ý kiến")
    wf.write()
    lead_nodes = [f"{work_id}_start", f"{node_id}_do"]
    focal_nodes = [f"{node_id}_review", f"{node_id}_decision", f"{work_id}_end"]
    if same_lane:
        lane = _el(lanes, "bpmn:lane", id=f"{work_id}_lane_1", name=task.lead_unit)
        for ref in lead_nodes + focal_nodes:
            _el(lane, "bpmn:flowNodeRef", ref)
    else:
        for i, (name, refs) in enumerate(((task.lead_unit, lead_nodes), (focal, focal_nodes)), 1):
            lane = _el(lanes, "bpmn:lane", id=f"{work_id}_lane_{i}", name=name)
            for ref in refs:
                _el(lane, "bpmn:flowNodeRef", ref)
    # Flow elements follow the laneSet in the schema: move it to the front.
    work.remove(lanes)
    work.insert(_after_flow_node_refs(work), lanes)
    inner.write()

    planes.append(_occurrence_plane(node_id))
    planes.append(_work_plane(node_id, same_lane))
    return node_id


def _after_flow_node_refs(element: etree._Element) -> int:
    """Index just after documentation/extensionElements/incoming/outgoing of an activity."""
    index = 0
    for i, child in enumerate(element):
        if etree.QName(child).localname in {"documentation", "extensionElements", "incoming",
                                             "outgoing"}:
            index = i + 1
    return index


def _main_plane(plan: ProcessPlan, lane_ids: dict[str, str]) -> Plane:
    plane = Plane("Collaboration_1")
    per_lane = {name: [t for t in plan.tasks if t.lead_unit == name] for name in plan.lanes}
    used_columns = min(COLUMNS, max([len(v) for v in per_lane.values()] + [1]))
    content_x = POOL_X + 2 * LABEL_BAND + 30
    tasks_x = content_x + 180
    join_x = tasks_x + used_columns * STEP_X + 20
    width = join_x + GATEWAY[0] + 100 + EVENT[0] + 40 - POOL_X
    rows = {name: max(1, math.ceil(len(tasks) / COLUMNS)) for name, tasks in per_lane.items()}
    height = sum(rows.values()) * ROW_H
    plane.shape("Participant_1", Box(POOL_X, POOL_Y, width, height), isHorizontal="true")

    row_tops: dict[int, float] = {}
    y = POOL_Y
    for name in plan.lanes:
        lane_h = rows[name] * ROW_H
        plane.shape(lane_ids[name], Box(POOL_X + LABEL_BAND, y, width - LABEL_BAND, lane_h),
                    isHorizontal="true")
        for index, task in enumerate(per_lane[name]):
            row, col = divmod(index, COLUMNS)
            row_tops[task.position] = y + row * ROW_H
            plane.shape(f"Task_{task.position}",
                        Box(tasks_x + col * STEP_X, y + row * ROW_H + 35, *PLAN_TASK),
                        isExpanded="false")
        y += lane_h

    mid = POOL_Y + ROW_H / 2
    plane.shape("Plan_start", Box(content_x, mid - EVENT[1] / 2, *EVENT))
    split = plane.shape("Plan_split", Box(content_x + 80, mid - GATEWAY[1] / 2, *GATEWAY))
    join = plane.shape("Plan_join", Box(join_x, mid - GATEWAY[1] / 2, *GATEWAY))
    plane.shape("Plan_end", Box(join_x + GATEWAY[0] + 100, mid - EVENT[1] / 2, *EVENT))
    plane.straight("Flow_start", "Plan_start", "Plan_split")
    plane.straight("Flow_end", "Plan_join", "Plan_end")
    if not plan.tasks:
        plane.straight("Flow_empty", "Plan_split", "Plan_join")
    for task in plan.tasks:
        box = plane.boxes[f"Task_{task.position}"]
        top = row_tops[task.position]
        above, below = top + 20, top + ROW_H - 20
        start_y = split.y if above < split.y else split.bottom
        plane.edge(f"Flow_{task.position}_in",
                   [(split.cx, start_y), (split.cx, above), (box.cx, above), (box.cx, box.y)])
        end_y = join.y if below < join.y else join.bottom
        plane.edge(f"Flow_{task.position}_out",
                   [(box.cx, box.bottom), (box.cx, below), (join.cx, below), (join.cx, end_y)])
    return plane


def _occurrence_plane(node_id: str) -> Plane:
    plane = Plane(node_id)
    plane.shape(f"{node_id}_start", Box(150, 182, *EVENT))
    work = plane.shape(f"{node_id}_work", Box(240, 160, *ACTIVITY), isExpanded="false")
    plane.shape(f"{node_id}_end", Box(410, 182, *EVENT))
    boundary = plane.shape(f"{node_id}_deadline", Box(272, work.bottom - 18, *EVENT))
    mark = plane.shape(f"{node_id}_mark", Box(360, 290, *ACTIVITY))
    plane.shape(f"{node_id}_escalate", Box(510, 312, *EVENT))
    plane.shape(f"{node_id}_end_overdue", Box(600, 312, *EVENT))
    plane.straight(f"Flow_{node_id[5:]}_a", f"{node_id}_start", f"{node_id}_work")
    plane.straight(f"Flow_{node_id[5:]}_b", f"{node_id}_work", f"{node_id}_end")
    plane.edge(f"Flow_{node_id[5:]}_c",
               [(boundary.cx, boundary.bottom), (boundary.cx, mark.cy), (mark.x, mark.cy)])
    plane.straight(f"Flow_{node_id[5:]}_d", f"{node_id}_mark", f"{node_id}_escalate")
    plane.straight(f"Flow_{node_id[5:]}_e", f"{node_id}_escalate", f"{node_id}_end_overdue")
    return plane


def _work_plane(node_id: str, same_lane: bool) -> Plane:
    work_id = f"{node_id}_work"
    n = node_id[5:]
    plane = Plane(work_id)
    lane_h = 180.0
    plane.shape(f"{work_id}_lane_1", Box(100, 60, 700, lane_h), isHorizontal="true")
    lead_y = 60 + lane_h / 2
    review_y = lead_y if same_lane else lead_y + lane_h
    if not same_lane:
        plane.shape(f"{work_id}_lane_2", Box(100, 60 + lane_h, 700, lane_h), isHorizontal="true")
    plane.shape(f"{work_id}_start", Box(180, lead_y - 18, *EVENT))
    do = plane.shape(f"{node_id}_do", Box(235, lead_y - 45, *PLAN_TASK))
    review = plane.shape(f"{node_id}_review", Box(420, review_y - 40, *ACTIVITY))
    decision = plane.shape(f"{node_id}_decision", Box(570, review_y - 25, *GATEWAY),
                           isMarkerVisible="true")
    plane.shape(f"{work_id}_end", Box(690, review_y - 18, *EVENT))
    plane.straight(f"Flow_{n}_w1", f"{work_id}_start", f"{node_id}_do")
    if same_lane:
        plane.straight(f"Flow_{n}_submit", f"{node_id}_do", f"{node_id}_review")
    else:
        plane.edge(f"Flow_{n}_submit",
                   [(do.right, do.cy), (review.cx, do.cy), (review.cx, review.y)])
    plane.straight(f"Flow_{n}_w2", f"{node_id}_review", f"{node_id}_decision")
    plane.straight(f"Flow_{n}_approve", f"{node_id}_decision", f"{work_id}_end")
    back_y = do.y - 30
    plane.edge(f"Flow_{n}_return", [(decision.cx, decision.y), (decision.cx, back_y),
                                     (do.cx, back_y), (do.cx, do.y)])
    return plane
