"""Webhook mode: only Telegram speaks for the users.

`python -m bot` runs with WEBHOOK_URL and no WEBHOOK_SECRET: it must register a strong random
secret with setWebhook, and a POST to its port that lacks it (an attacker "being" an admin) is
refused with 403, logged at WARNING without its body, and changes nothing.
"""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import (
    ADMIN_ID,
    ANSWER_TIMEOUT,
    STARTUP_TIMEOUT,
    BotProcess,
    bot_env,
    new_root,
    remember_background_vectors,
)
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e

FORGED_TEXT = "/stats"
NOTHING_HAPPENS_SECONDS = 2.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def bot(fake: FakeTelegram, port: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    root = new_root(tmp_path_factory, "webhook")
    env = bot_env(
        root,
        fake.token,
        fake.base_url,
        WEBHOOK_URL=f"https://bot.example.org:{port}/telegram",
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )
    process = BotProcess(root, env)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not fake.calls("setWebhook") or not listening(port):
            if not process.alive() or time.monotonic() > deadline:
                pytest.fail(f"the bot did not start its webhook:\n{process.tail()}")
            time.sleep(0.1)
        remember_background_vectors(tmp_path_factory, root / "index")
        yield process
        assert process.terminate() == 0, process.tail()
    finally:
        process.close()
        process.assert_no_secret(fake.token)


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def admin_update(update_id: int, text: str) -> dict[str, Any]:
    sender = {"id": ADMIN_ID, "is_bot": False, "first_name": "Admin", "language_code": "en"}
    message = {
        "message_id": update_id,
        "date": int(time.time()),
        "from": sender,
        "text": text,
        "chat": {"id": ADMIN_ID, "type": "private", "first_name": "Admin"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]
        if text.startswith("/")
        else [],
    }
    return {"update_id": update_id, "message": message}


def post(port: int, update: dict[str, Any], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/telegram", json.dumps(update).encode(), headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def registered_secret(fake: FakeTelegram) -> str:
    return str(fake.webhook()["secret_token"])


def test_without_webhook_secret_a_strong_random_one_is_registered(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    secret = registered_secret(fake)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,256}", secret)
    assert secret not in bot.log()


@pytest.mark.parametrize("header", [None, "wrong-secret-" + "x" * 40], ids=["no header", "wrong header"])
def test_a_forged_admin_update_is_refused_and_changes_nothing(
    fake: FakeTelegram, bot: BotProcess, port: int, header: str | None
) -> None:
    log_start = len(bot.log())
    sent_before = len(fake.calls("sendMessage"))
    forged = admin_update(9_000 + (header is None), FORGED_TEXT)
    assert post(port, forged, header) == 403
    time.sleep(NOTHING_HAPPENS_SECONDS)
    assert len(fake.calls("sendMessage")) == sent_before  # no /stats reply, no reply at all
    after = bot.log()[log_start:]
    what = "no secret token header" if header is None else "a wrong secret token"
    assert re.search(rf"WARNING .*Rejected a webhook request with {what} \(403\)", after)
    assert FORGED_TEXT not in after and (header is None or header not in after)  # no body, no secret


def test_an_update_with_the_registered_secret_is_served(
    fake: FakeTelegram, bot: BotProcess, port: int
) -> None:
    sent_before = len(fake.calls("sendMessage"))
    assert post(port, admin_update(9_100, FORGED_TEXT), registered_secret(fake)) == 200
    replies = fake.wait_for_calls("sendMessage", sent_before + 1, timeout=ANSWER_TIMEOUT)
    assert "Stats" in replies[-1]["params"]["text"]


def test_a_reply_refused_during_an_outage_is_delivered_after_it(
    fake: FakeTelegram, bot: BotProcess, port: int
) -> None:
    sent_before = len([c for c in fake.calls("sendMessage") if c["ok"]])
    fake.outage(3, status=502)
    assert post(port, admin_update(9_200, FORGED_TEXT), registered_secret(fake)) == 200
    delivered = fake.wait_until(
        lambda: [c for c in fake.calls("sendMessage") if c["ok"]][sent_before:],
        timeout=ANSWER_TIMEOUT,
        what="the reply after the outage",
    )
    assert "Stats" in delivered[0]["params"]["text"]
    time.sleep(NOTHING_HAPPENS_SECONDS)
    assert len([c for c in fake.calls("sendMessage") if c["ok"]][sent_before:]) == 1  # once
    assert any(c.get("injected") for c in fake.calls("sendMessage"))
    assert bot.alive()


def test_a_weak_webhook_secret_stops_startup_with_one_line(
    fake: FakeTelegram, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = new_root(tmp_path_factory, "weak_secret")
    env = bot_env(
        root,
        fake.token,
        fake.base_url,
        WEBHOOK_URL="https://bot.example.org/telegram",
        WEBHOOK_SECRET="letmein",
    )
    process = BotProcess(root, env, name="weak")
    try:
        assert process.wait_for_exit(timeout=30) == 2
        output = process.log().strip()
        assert output.count("\n") == 0 and "WEBHOOK_SECRET" in output and "letmein" not in output
    finally:
        process.close()
