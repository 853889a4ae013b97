"""A one-off job in a child process: its result and its errors come back; a child that dies says so."""

import os

import pytest

from index.child_process import ChildStopped, in_child


def _refuse(reason: str) -> None:
    raise ValueError(reason)


def test_the_job_runs_in_another_process_and_its_result_comes_back() -> None:
    assert in_child(os.getpid) != os.getpid()


def test_the_jobs_own_error_is_raised_in_the_caller() -> None:
    with pytest.raises(ValueError, match="corrupt weights"):
        in_child(_refuse, "corrupt weights")


def test_a_child_that_dies_midway_raises_child_stopped() -> None:
    with pytest.raises(ChildStopped, match="_exit stopped before it finished"):
        in_child(os._exit, 3)
