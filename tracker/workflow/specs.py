"""Plan processes parsed and validated once, and kept by the hash of their BPMN text.

A :class:`ProcessSpec` is read-only and shared by every run of its process; the cache lets
a request that restores an instance skip parsing the BPMN it was started from.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser import VALIDATOR

from tracker.workflow import spiff_internals
from tracker.workflow.errors import WorkflowError
from tracker.workflow.timers import ClockedParser

__all__ = ["ProcessSpec", "cached_spec", "load_spec", "spec_hash", "validate_bpmn"]

BPMN_NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}


def spec_hash(bpmn_xml: str) -> str:
    return hashlib.sha256(bpmn_xml.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ProcessSpec:
    """A parsed, validated process; shared read-only by every run of it."""

    hash: str
    process_id: str
    spec: Any
    subprocess_specs: dict[str, Any]
    task_properties: dict[int, dict[str, str]]  # plan item position → its properties


# Parsed specs by content hash, least recently used dropped first (cachetools is not
# thread-safe by itself: the lock guards it).
_CACHE: LRUCache[str, ProcessSpec] = LRUCache(maxsize=64)
_CACHE_LOCK = threading.Lock()


def validate_bpmn(bpmn_xml: str, filename: str = "<bpmn>") -> ProcessSpec:
    """Parse with Spiff's parser and its XSD validator; raise :class:`WorkflowError`."""
    try:
        root = etree.fromstring(bpmn_xml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise WorkflowError(f"{filename}: line {exc.lineno}: not well-formed XML: {exc.msg}") \
            from exc
    processes = root.xpath("bpmn:process[@isExecutable='true']/@id", namespaces=BPMN_NS)
    if len(processes) != 1:
        raise WorkflowError(
            f"{filename}: expected exactly one executable process, found {len(processes)}"
        )
    process_id = str(processes[0])
    parser = ClockedParser(validator=VALIDATOR)
    try:
        parser.add_bpmn_xml(etree.ElementTree(root), filename=filename)
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as exc:
        line = getattr(exc, "line_number", None) or getattr(exc, "sourceline", "?")
        raise WorkflowError(f"{filename}: line {line}: {exc}") from exc
    except SpiffWorkflowException as exc:
        raise WorkflowError(f"{filename}: {exc}") from exc
    spiff_internals.connect_multi_instance_merges([spec, *subprocess_specs.values()])
    properties: dict[int, dict[str, str]] = {}
    for sub_spec in subprocess_specs.values():
        for task_spec in sub_spec.task_specs.values():
            props = getattr(task_spec, "extensions", {}).get("properties", {})
            if props.get("role") == "do":
                properties[int(props["position"])] = dict(props)
    return ProcessSpec(spec_hash(bpmn_xml), process_id, spec, subprocess_specs, properties)


def cached_spec(digest: str) -> ProcessSpec | None:
    """The parsed spec with this content hash, if this process has parsed it already."""
    with _CACHE_LOCK:
        return _CACHE.get(digest)


def load_spec(bpmn_xml: str, filename: str = "<bpmn>") -> ProcessSpec:
    """The parsed spec of this document, from the cache when its hash was seen before."""
    key = spec_hash(bpmn_xml)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached
    parsed = validate_bpmn(bpmn_xml, filename)
    with _CACHE_LOCK:
        _CACHE[key] = parsed
    return parsed
