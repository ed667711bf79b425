"""Plans as executable BPMN: the generator (plan → BPMN 2.0 with its diagram) and the engine.

Only this package imports SpiffWorkflow (an import-linter contract says so); every use of
its private internals is in :mod:`tracker.workflow.spiff_internals`, and the saved state's
format and migrations are in :mod:`tracker.workflow.state`.
"""
