"""The terminal chat (`make run` without a token) shows the chat and nothing of the libraries."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.e2e.conftest import (
    PYTHON,
    STARTUP_TIMEOUT,
    bot_env,
    clean_environ,
    new_root,
    remember_background_vectors,
)

pytestmark = pytest.mark.e2e

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ ", re.MULTILINE)


@pytest.mark.parametrize("log_level", [None, "INFO"], ids=["default", "LOG_LEVEL=INFO"])
def test_the_terminal_chat_shows_no_library_log_lines(
    tmp_path_factory: pytest.TempPathFactory, log_level: str | None
) -> None:
    root = new_root(tmp_path_factory, "terminal")
    env = bot_env(root, "", "https://api.telegram.org/bot")
    if log_level is None:
        env = {
            **clean_environ(),
            **{k: v for k, v in env.items() if k not in ("LOG_LEVEL", "TELEGRAM_BOT_TOKEN")},
        }
    else:
        env["LOG_LEVEL"] = log_level
    done = subprocess.run(
        [PYTHON, "-m", "bot"],
        check=False,  # the tests read the exit status
        cwd=root,
        env=env,
        input="Berapa tawanan perang yang ditukar?\n\n",
        capture_output=True,
        text=True,
        timeout=STARTUP_TIMEOUT,
    )
    remember_background_vectors(tmp_path_factory, root / "index")
    assert done.returncode == 0, done.stderr
    assert "*1.200*" in done.stdout
    assert not LOG_LINE.search(done.stdout + done.stderr), done.stderr
    assert "faiss" not in (done.stdout + done.stderr).lower()


def test_follow_in_the_terminal_chat_says_subscriptions_need_telegram(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = new_root(tmp_path_factory, "terminal_follow")
    env = {
        k: v
        for k, v in bot_env(root, "", "https://api.telegram.org/bot").items()
        if k != "TELEGRAM_BOT_TOKEN"
    }
    done = subprocess.run(
        [PYTHON, "-m", "bot"],
        check=False,
        cwd=root,
        env=env,
        input="/follow tawanan\n\n",
        capture_output=True,
        text=True,
        timeout=STARTUP_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert "Subscriptions to new reports (/follow) need Telegram" in done.stdout
    assert "hanya ada di Telegram" in done.stdout
    assert not (root / "var" / "alerts.sqlite3").exists()  # nothing was stored
