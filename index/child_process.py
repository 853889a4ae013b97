"""One call in a spawned child process: torch, imported there for a one-off job, stays there."""

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class ChildStopped(RuntimeError):
    """The child process ended before it returned (killed, out of memory)."""


def spawn_pool() -> ProcessPoolExecutor:
    """One worker, spawned rather than forked: the bot has threads and an event loop."""
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))


def result_of(job: Future[R], what: str) -> R:
    """The job's result; its own exceptions are raised here, a dead child as ChildStopped."""
    try:
        return job.result()
    except BrokenProcessPool as error:
        raise ChildStopped(f"{what} stopped before it finished (out of memory?)") from error


def in_child(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`function(*args, **kwargs)` in a fresh child process; its exceptions are raised here."""
    with spawn_pool() as pool:
        return result_of(pool.submit(function, *args, **kwargs), function.__name__)
