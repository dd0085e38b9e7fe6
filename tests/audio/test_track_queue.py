"""The build's one queue of speech tracks (real worker processes of the fork server)."""

from __future__ import annotations

import multiprocessing.forkserver
import time
from pathlib import Path

import pytest

from pipeline.audio import track_queue as track_queue_module
from pipeline.audio.track_queue import active_queue, track_queue
from pipeline.errors import SpeechError

from .test_speech import fail, hang, speak_with_a_fault, started_at


def about(task: str) -> tuple[str, str, float]:
    return f"section {task!r}", "fr", float(len(task))


def test_groups_start_in_order_largest_first_and_a_key_is_made_once() -> None:
    with track_queue(started_at, timeout=60, describe=about, workers=1) as queue:
        assert active_queue() is queue
        first = queue.start([("k-b", "b"), ("k-dddd", "dddd")])
        second = queue.start([("k-zz", "zz"), ("k-yyyyy", "yyyyy"), ("k-dddd", "dddd")])
        assert second[2] is first[1]  # submitted once, shared
        results = queue.results([("k-b", "b"), ("k-zz", "zz"), ("k-yyyyy", "yyyyy")])
        order = sorted([*results, first[1].result()], key=lambda result: result[1])
        assert [task for task, _ in order] == ["dddd", "b", "yyyyy", "zz"]
    assert active_queue() is None


def test_a_hang_is_an_error_naming_the_section_and_the_worker_is_stopped(tmp_path: Path) -> None:
    pid_file = tmp_path / "worker.pid"
    with (
        track_queue(hang, timeout=2, describe=about) as queue,
        pytest.raises(SpeechError) as caught,
    ):
        queue.results([("k", str(pid_file))])
    assert caught.value.locale == "fr" and "hung" in caught.value.message
    assert f"section {str(pid_file)!r}" in caught.value.message
    status = Path(f"/proc/{pid_file.read_text()}/status")
    assert not status.exists() or "State:\tZ" in status.read_text()


def test_a_failure_is_reported_and_the_rest_of_its_group_dropped() -> None:
    with track_queue(fail, timeout=30, describe=about, workers=1) as queue:
        futures = queue.start([("k-a", "aaa"), ("k-b", "b")])
        with pytest.raises(SpeechError, match="ValueError: broken aaa"):
            queue.results([("k-a", "aaa"), ("k-b", "b")])
        # The rest is dropped if it had not started; one that had (its worker took it as
        # the failure came in) runs to its end, and is not waited for here.
        other = futures[1]
        assert other.cancelled() or "broken b" in str(other.exception(timeout=30))


def test_audio_that_fails_its_check_is_made_again_then_an_error() -> None:
    # a hang would end in the timeout's message, not in "4 tries" (no clock needed)
    with (
        track_queue(speak_with_a_fault, timeout=60, describe=about) as queue,
        pytest.raises(SpeechError) as caught,
    ):
        queue.results([("k", "stale text")])
    assert "not the audio of" in caught.value.message and "4 tries" in caught.value.message


def test_workers_that_cannot_start_fail_every_track_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The dispatcher starts the fork server as the queue opens, before any track is due:
    when that fails, tracks submitted later fail with its error instead of waiting for a
    dispatcher that is gone."""

    def refuse() -> None:
        raise OSError("no more processes")

    monkeypatch.setattr(multiprocessing.forkserver, "ensure_running", refuse)
    with track_queue(started_at, timeout=60, describe=about) as queue:
        assert queue._thread is not None
        queue._thread.join(timeout=30)  # it failed with nothing submitted yet
        with pytest.raises(SpeechError, match="speech workers failed: OSError: no more"):
            queue.results([("k", "later")])


def test_a_track_whose_worker_cannot_start_fails_and_does_not_wait_for_ever() -> None:
    """A track is taken from the queue before its worker starts: when the start fails
    (here the function cannot be sent to a worker, as a lambda cannot be pickled), that
    track gets the error too, and so do the ones after it; none waits for ever."""
    with track_queue(lambda task: task, timeout=60, describe=about) as queue:
        first = queue.start([("a", "first")])[0]
        with pytest.raises(SpeechError, match="section 'first': no speech worker could be"):
            first.result(timeout=30)
        with pytest.raises(SpeechError, match=r"speech workers failed: .*[Cc]an.t pickle"):
            queue.start([("b", "second")])[0].result(timeout=30)


def test_a_new_track_and_the_end_of_the_build_wake_the_dispatcher_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Between checks of its workers' time limits the dispatcher sleeps (here a minute);
    a track submitted meanwhile, or the queue's closing, must not wait for it to wake."""
    monkeypatch.setattr(track_queue_module, "POLL_SECONDS", 60.0)
    began = time.monotonic()
    with track_queue(started_at, timeout=120, describe=about, workers=1) as queue:
        time.sleep(0.3)  # the dispatcher is asleep: nothing to run
        assert queue.start([("k-a", "a")])[0].result(timeout=30)[0] == "a"
        time.sleep(0.3)  # asleep again, no worker running
        assert [task for task, _ in queue.results([("k-b", "b")])] == ["b"]
    assert time.monotonic() - began < 50, "a track or the closing waited for the sleep"
