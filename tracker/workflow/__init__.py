"""Plans as executable BPMN: the generator (plan → BPMN 2.0 with its diagram) and the engine.

Only :mod:`tracker.workflow.engine` imports SpiffWorkflow.
"""
