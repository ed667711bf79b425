"""BPMN diagram interchange (BPMNDI): shapes and edges, placed by simple rules.

The generator says where each element goes; this module writes the ``bpmndi`` elements
that let a modeler (bpmn.io, Camunda Modeler) draw the process. One diagram for the pool
and its lanes, and one per collapsed sub-process (bpmn.io's "drill down").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"

# Standard sizes of the BPMN notation, as modelers draw them.
EVENT = (36, 36)
GATEWAY = (50, 50)
ACTIVITY = (100, 80)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass
class Plane:
    """One diagram: the shapes and edges drawn for one process or sub-process."""

    element_id: str
    shapes: list[tuple[str, Box, dict[str, str]]] = field(default_factory=list)
    edges: list[tuple[str, list[tuple[float, float]]]] = field(default_factory=list)
    boxes: dict[str, Box] = field(default_factory=dict)

    def shape(self, element_id: str, box: Box, **attrs: str) -> Box:
        self.shapes.append((element_id, box, attrs))
        self.boxes[element_id] = box
        return box

    def edge(self, flow_id: str, points: list[tuple[float, float]]) -> None:
        self.edges.append((flow_id, points))

    def straight(self, flow_id: str, source: str, target: str) -> None:
        """Left to right between two shapes, with an elbow when their centres differ."""
        a, b = self.boxes[source], self.boxes[target]
        if abs(a.cy - b.cy) < 1:
            self.edge(flow_id, [(a.right, a.cy), (b.x, b.cy)])
        elif b.x > a.right:
            mid = (a.right + b.x) / 2
            self.edge(flow_id, [(a.right, a.cy), (mid, a.cy), (mid, b.cy), (b.x, b.cy)])
        else:
            self.edge(flow_id, [(a.cx, a.bottom), (a.cx, b.cy), (b.x, b.cy)])


def write_diagrams(parent: etree._Element, planes: list[Plane]) -> None:
    for index, plane in enumerate(planes, start=1):
        diagram = etree.SubElement(parent, f"{{{BPMNDI}}}BPMNDiagram", id=f"BPMNDiagram_{index}")
        xml_plane = etree.SubElement(
            diagram, f"{{{BPMNDI}}}BPMNPlane", id=f"BPMNPlane_{index}", bpmnElement=plane.element_id
        )
        for element_id, box, attrs in plane.shapes:
            shape = etree.SubElement(
                xml_plane, f"{{{BPMNDI}}}BPMNShape", id=f"{element_id}_di", bpmnElement=element_id
            )
            for key, value in attrs.items():
                shape.set(key, value)
            etree.SubElement(
                shape, f"{{{DC}}}Bounds", x=_num(box.x), y=_num(box.y), width=_num(box.w),
                height=_num(box.h),
            )
        for flow_id, points in plane.edges:
            edge = etree.SubElement(
                xml_plane, f"{{{BPMNDI}}}BPMNEdge", id=f"{flow_id}_di", bpmnElement=flow_id
            )
            for x, y in points:
                etree.SubElement(edge, f"{{{DI}}}waypoint", x=_num(x), y=_num(y))


def _num(value: float) -> str:
    return str(round(value))
