"""The collector pause of batch jobs: nested and overlapping pauses, and the state restored."""

from __future__ import annotations

import gc
import threading

from tracker.collector import collector_paused


def test_pauses_nest_and_the_collector_runs_again_after_the_last() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_error_inside_still_resumes_it() -> None:
    try:
        with collector_paused():
            raise RuntimeError("the job failed")
    except RuntimeError:
        pass
    assert gc.isenabled()


def test_overlapping_pauses_in_two_threads() -> None:
    inside, release = threading.Event(), threading.Event()

    def job() -> None:
        with collector_paused():
            inside.set()
            release.wait(10)

    worker = threading.Thread(target=job)
    worker.start()
    assert inside.wait(10)
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's pause goes on
    release.set()
    worker.join(10)
    assert gc.isenabled()
