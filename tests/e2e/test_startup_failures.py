"""`python -m bot` refuses to run without a working Bot API: a rejected token or an unreachable
server end the process at once with one clear line, no traceback, and no token in the output.

The bot checks the token and the API (getMe) before it imports torch or loads the model, so
"at once" is measured from the start of the process.
(Graceful SIGTERM is the last test of test_conversation.py, on a bot that ran for a while.)
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.e2e.conftest import STARTUP_TIMEOUT, BotProcess, bot_env, new_root, remember_background_vectors
from tests.fake_telegram import FakeTelegram
from tests.fake_telegram.fake import make_token

pytestmark = pytest.mark.e2e

FAIL_FAST_SECONDS = 6.0  # ~0.6 s here on an idle machine


@dataclass
class Run:
    process: BotProcess
    token: str
    exited_at: float | None = None

    @property
    def seconds_to_exit(self) -> float:
        assert self.exited_at is not None
        return self.exited_at - self.process.started


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture(scope="module")
def runs(fake: FakeTelegram, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    wrong_token = make_token(fake.bot_id)  # well formed, so the server answers 401, not 404
    assert wrong_token != fake.token
    started: dict[str, Run] = {}
    try:
        # One after the other: on 2 cores, a parallel start is no faster, and the timing of
        # one process would include the model loading of the others.
        for name, token, base_url, level in (
            ("bad_token", wrong_token, fake.base_url, "INFO"),
            ("unreachable", fake.token, None, "INFO"),
            ("bad_token_debug", wrong_token, fake.base_url, "DEBUG"),
        ):
            root = new_root(tmp_path_factory, name)
            base_url = base_url or f"http://127.0.0.1:{closed_port()}/bot"  # nothing listens there
            run = started[name] = Run(
                BotProcess(root, bot_env(root, token, base_url, LOG_LEVEL=level)), token
            )
            watch(run)
            if name == "bad_token":
                remember_background_vectors(tmp_path_factory, root / "index")
        yield started
    finally:
        for run in started.values():
            run.process.close()
            run.process.assert_no_secret(run.token)


def watch(run: Run) -> None:
    """Note when the bot has exited."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while run.exited_at is None:
        now = time.monotonic()
        if not run.process.alive():
            run.exited_at = now
        if now > deadline:
            pytest.fail(f"a bot that cannot use the Bot API is still running:\n{run.process.tail()}")
        time.sleep(0.02)


def error_lines(run: Run) -> list[str]:
    return [line for line in run.process.log().splitlines() if " ERROR " in line or line.startswith("error")]


def the_one_error_line_of_a_fast_exit(run: Run) -> str:
    """The bot exited with 2 at once, without a traceback, saying why in one error line."""
    log = run.process.log()
    assert run.process.process.returncode == 2, log
    assert run.seconds_to_exit < FAIL_FAST_SECONDS, log
    assert "Traceback" not in log
    (line,) = error_lines(run)
    return line


def test_bad_token_exits_non_zero_at_once_with_one_clear_line(
    fake: FakeTelegram, runs: dict[str, Run]
) -> None:
    run = runs["bad_token"]
    log = run.process.log()
    line = the_one_error_line_of_a_fast_exit(run)
    assert "TELEGRAM_BOT_TOKEN was rejected by the Bot API" in line
    assert sum("TELEGRAM_BOT_TOKEN" in line for line in log.splitlines()) == 1
    assert f"at {fake.base_url}." in line  # the server that refused it (401) is named
    # The real token is not in it either (the fake's, given to the other process).
    assert fake.token.split(":", 1)[1] not in log


def test_unreachable_api_exits_non_zero_at_once_with_a_clear_message(runs: dict[str, Run]) -> None:
    line = the_one_error_line_of_a_fast_exit(runs["unreachable"])
    assert "Cannot reach the Bot API at http://127.0.0.1:" in line
    assert "Check TELEGRAM_API_BASE_URL and the network." in line


def test_bad_token_never_appears_in_the_log_even_at_debug_level(runs: dict[str, Run]) -> None:
    """PTB's InvalidToken carries the token ("The token `...` was rejected"); at DEBUG its
    traceback is kept, with the token redacted."""
    run = runs["bad_token_debug"]
    log = run.process.log()
    assert run.process.process.returncode == 2, log
    assert "[redacted]" in log  # PTB logs the API URL at DEBUG; the token in it is redacted
    run.process.assert_no_secret(run.token)
