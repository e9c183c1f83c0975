"""Forked worker processes, each with pipes of its own: the parent hands
out tasks in order to whichever worker is free and reads the answers in
its main thread.

multiprocessing.Pool sends every answer through one pipe of 64 KB, under
one lock, read by a thread of the parent that waits for the GIL while the
parent decodes answers: the workers of a one-arch snapshot each waited
0.4-0.6 s to send, a tenth of the run. Here each worker writes to its own
pipe of up to 1 MB, and holds its next task while the parent reads.
"""

from __future__ import annotations

import fcntl
import signal
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkContext, ForkProcess
from typing import TypeVar

R = TypeVar("R")

AHEAD = 2  # tasks a worker holds: one to work on, one to start when it sends the answer
PIPE_BYTES = 1 << 20  # Linux's most for a process without privileges (/proc/sys/fs/pipe-max-size)


class WorkerFailed(Exception):
    """A worker stopped without an answer, or its exception could not be sent."""


@dataclass
class _Worker:
    process: ForkProcess
    tasks: Connection
    answers: Connection


def answers(forks: ForkContext, jobs: int, count: int, work: Callable[[int], R]) -> Iterator[tuple[int, R]]:
    """(n, work(n)) for each n in range(count), as forked workers (jobs of
    them) finish: they inherit what work reads. An exception a task raises
    is raised here; Ctrl-C reaches the parent alone, which stops the
    workers, as it does when the consumer stops early."""
    workers: list[_Worker] = []
    # forked with SIGINT blocked, so that a Ctrl-C before a worker ignores it waits for the parent
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        for _ in range(min(jobs, count)):
            task_out, task_in = forks.Pipe(duplex=False)
            answer_out, answer_in = forks.Pipe(duplex=False)
            _widen(answer_in)
            inherited = [c for w in workers for c in (w.tasks, w.answers)]
            process = forks.Process(target=_serve, args=(task_out, answer_in, work, inherited), daemon=True)
            process.start()
            task_out.close()
            answer_in.close()
            workers.append(_Worker(process, task_in, answer_out))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    sent = 0
    finished = False
    by_answers: dict[object, _Worker] = {w.answers: w for w in workers}

    def give(w: _Worker) -> None:
        nonlocal sent
        if sent < count:
            try:
                w.tasks.send(sent)
            except BrokenPipeError:  # it ended: its answers' pipe ends too, and says so below
                return
            sent += 1

    try:
        for w in workers:
            for _ in range(AHEAD):
                give(w)
        left = count
        while left:
            for ready in wait([w.answers for w in workers]):
                w = by_answers[ready]
                try:
                    n, answer, failure, trace = w.answers.recv()
                except EOFError:  # it ended (no other process holds its pipe's end: see _serve)
                    w.process.join()
                    raise WorkerFailed(f"a worker stopped (exit status {w.process.exitcode}) before it answered")
                if failure is not None:
                    failure.__cause__ = WorkerFailed(trace)  # where in the worker it was raised
                    raise failure
                left -= 1
                give(w)
                yield n, answer
        finished = True
    finally:
        for w in workers:
            if finished:
                w.tasks.send(None)
            else:
                w.process.terminate()
        for w in workers:
            w.process.join()
            w.tasks.close()
            w.answers.close()


def _serve(tasks: Connection, answers: Connection, work: Callable[[int], object],
           inherited: list[Connection]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    for c in inherited:  # the other workers' pipes: their ends must close when the parent's do
        c.close()
    while (n := tasks.recv()) is not None:
        try:
            answers.send((n, work(n), None, ""))
        except Exception as exc:
            trace = "".join(traceback.format_exception(exc))
            try:
                answers.send((n, None, exc, trace))
            except Exception:  # it does not pickle: its text does
                answers.send((n, None, WorkerFailed(trace), trace))


def _widen(conn: Connection) -> None:
    """A pipe that holds many answers: a worker need not wait for the parent to read."""
    try:
        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError):  # not Linux, or a lower limit: the default size
        pass
