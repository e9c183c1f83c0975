"""The forked workers of a -j run: every task answered once, a worker's
exception raised in the parent, a worker that dies named, and no worker
left behind when the parent stops early."""

from __future__ import annotations

import multiprocessing
import os
import threading

import pytest

from uapicheck.forked import WorkerFailed, answers

FORKS = multiprocessing.get_context("fork")


def test_every_task_is_answered_once_by_a_worker() -> None:
    parent = os.getpid()
    got = dict(answers(FORKS, 3, 200, lambda n: (n * n, os.getpid())))
    assert sorted(got) == list(range(200))
    assert all(square == n * n for n, (square, _) in got.items())
    assert parent not in {pid for _, pid in got.values()}
    assert not multiprocessing.active_children()


def test_fewer_tasks_than_jobs() -> None:
    assert dict(answers(FORKS, 4, 1, lambda n: n + 1)) == {0: 1}


def test_a_workers_exception_is_raised_with_where_it_was_raised() -> None:
    def work(n: int) -> int:
        if n == 7:
            raise KeyError("seven")
        return n

    with pytest.raises(KeyError, match="seven") as caught:
        list(answers(FORKS, 2, 20, work))
    assert isinstance(caught.value.__cause__, WorkerFailed)
    assert "in work" in str(caught.value.__cause__)
    assert not multiprocessing.active_children()


def test_an_exception_that_does_not_pickle_arrives_as_its_text() -> None:
    class Local(Exception):  # a class pickle cannot find by name
        pass

    def work(n: int) -> int:
        if n == 3:
            raise Local("not picklable")
        return n

    with pytest.raises(WorkerFailed, match="not picklable"):
        list(answers(FORKS, 2, 10, work))


def test_a_worker_that_dies_is_named_not_waited_for() -> None:
    def work(n: int) -> int:
        if n == 5:
            os._exit(3)
        return n

    result: list[BaseException] = []

    def run() -> None:
        try:
            list(answers(FORKS, 2, 30, work))
        except BaseException as exc:
            result.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the parent waited for an answer that cannot come"
    assert len(result) == 1 and isinstance(result[0], WorkerFailed)
    assert "exit status 3" in str(result[0])


def test_stopping_early_stops_the_workers() -> None:
    for n, _ in answers(FORKS, 2, 1000, lambda n: n):
        if n > 10:
            break
    assert not multiprocessing.active_children()
