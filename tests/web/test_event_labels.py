"""Every kind of history row has a label in Vietnamese and in English."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale

from tracker.models import TaskEventAction
from tracker.web.labels import EVENT_LABELS, event_label


def test_every_history_action_has_a_label_in_both_languages(app: Flask) -> None:
    assert set(EVENT_LABELS) == set(TaskEventAction)
    with app.test_request_context():
        for action in TaskEventAction:
            with force_locale("vi"):
                vietnamese = event_label(action)
            with force_locale("en"):
                english = event_label(action)
            assert vietnamese and vietnamese != action.value, action
            assert english and english != vietnamese, f"{action}: no English label"


def test_labels_are_found_for_the_stored_text_too(app: Flask) -> None:
    """Rows read back from the database hold the action as a plain string."""
    with app.test_request_context(), force_locale("en"):
        assert event_label("attach") == "attached further evidence"
        assert event_label("sync") == "status updated by the workflow"
