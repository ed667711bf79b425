"""The JSON API under /api/v1: tasks, plans and roll-ups, with the pages' own permissions.

An unseen task, plan or commune is 404; an action the role lacks is 403; no login is 401.
One pydantic model per body, query and answer (``inputs``, ``schemas``) validates, serializes
and generates the OpenAPI document (``openapi``); the views are split by concept.
"""

from tracker.web.api import files, openapi, plans, rollups, tasks
from tracker.web.api.blueprint import bp

__all__ = ["bp", "files", "openapi", "plans", "rollups", "tasks"]
