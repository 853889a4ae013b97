"""Replies through the retrying rate limiter (bot/telegram/delivery.py), against the local Bot API
server and its faults: what is sent again, what is not, and what is logged when it gives up."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
from telegram.error import BadRequest, Forbidden
from telegram.ext import ExtBot

from bot.telegram.delivery import CURRENT_UPDATE, RetryingRateLimiter, Undelivered
from bot.telegram.stats import Stats
from tests.fake_telegram import FakeTelegram

CHAT = 4242
RETRY_SECONDS = 6.0


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        server.add_chat(CHAT)
        yield server


@pytest.fixture
def stats() -> Stats:
    return Stats()


async def retrying_bot(fake: FakeTelegram, stats: Stats, retry_seconds: float) -> ExtBot:
    limiter = RetryingRateLimiter(stats, retry_seconds, overall_max_rate=1000)
    bot = ExtBot(fake.token, base_url=fake.base_url, rate_limiter=limiter)
    await bot.initialize()
    return bot


@pytest_asyncio.fixture
async def bot(fake: FakeTelegram, stats: Stats) -> AsyncIterator[ExtBot]:
    client = await retrying_bot(fake, stats, RETRY_SECONDS)
    yield client
    await client.shutdown()


def texts(fake: FakeTelegram) -> list[str]:
    return [m["text"] for m in fake.sent_messages(CHAT)]


async def test_a_reply_refused_with_502_is_sent_again_and_arrives_once(
    fake: FakeTelegram, bot: ExtBot, stats: Stats
) -> None:
    fake.fail_next("sendMessage", times=2, status=502)
    await bot.send_message(CHAT, "answer")
    assert texts(fake) == ["answer"]
    assert [c["status"] for c in fake.calls("sendMessage")] == [502, 502, 200]
    assert stats.delivered_after_retry == 1


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PTB's retry_after int -> timedelta notice
async def test_a_429_waits_the_retry_after_telegram_asks(fake: FakeTelegram, bot: ExtBot) -> None:
    fake.fail_next("sendMessage", status=429, retry_after=2)
    started = time.monotonic()
    await bot.send_message(CHAT, "answer")
    assert time.monotonic() - started >= 2.0
    assert texts(fake) == ["answer"]


async def test_a_reply_sent_while_the_api_is_unreachable_arrives_when_it_is_back(
    fake: FakeTelegram, bot: ExtBot, stats: Stats
) -> None:
    await asyncio.to_thread(fake.stop)
    back = threading.Timer(1.5, fake.start)
    back.start()
    try:
        await bot.send_message(CHAT, "answer")
    finally:
        back.join()
    assert texts(fake) == ["answer"] and stats.delivered_after_retry == 1


async def test_a_user_who_blocked_the_bot_is_not_retried(fake: FakeTelegram, bot: ExtBot) -> None:
    fake.block_bot(CHAT)
    with pytest.raises(Forbidden):
        await bot.send_message(CHAT, "answer")
    assert len(fake.calls("sendMessage")) == 1


async def test_a_chat_that_is_gone_is_not_retried(fake: FakeTelegram, bot: ExtBot) -> None:
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(999_999, "answer")
    assert len(fake.calls("sendMessage")) == 1


async def test_a_send_whose_answer_timed_out_is_not_sent_again(
    fake: FakeTelegram, bot: ExtBot, stats: Stats, caplog: pytest.LogCaptureFixture
) -> None:
    fake.slow_next("sendMessage", delay=1.5)
    with caplog.at_level(logging.WARNING), pytest.raises(Undelivered):
        await bot.send_message(CHAT, "answer", read_timeout=0.5)
    assert texts(fake) == ["answer"]  # it did arrive: once
    assert len(fake.calls("sendMessage")) == 1 and stats.unconfirmed == 1
    assert any("may have arrived" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


async def test_an_edit_whose_answer_timed_out_is_done_again(fake: FakeTelegram, bot: ExtBot) -> None:
    sent = await bot.send_message(CHAT, "short answer")
    fake.slow_next("editMessageText", delay=1.5)
    await bot.edit_message_text("longer answer", CHAT, sent.message_id, read_timeout=0.5)
    assert fake.message(CHAT, sent.message_id)["text"] == "longer answer"
    assert len(fake.calls("editMessageText")) >= 2


async def test_a_typing_action_is_tried_once(fake: FakeTelegram, bot: ExtBot) -> None:
    fake.fail_next("sendChatAction", status=502)
    with pytest.raises(Exception):  # noqa: B017 - any failure: the handler ignores it
        await bot.send_chat_action(CHAT, "typing")
    assert len(fake.calls("sendChatAction")) == 1


async def test_giving_up_at_the_bound_is_a_warning_with_chat_update_and_reason(
    fake: FakeTelegram, stats: Stats, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await retrying_bot(fake, stats, retry_seconds=1.5)
    fake.outage(30, status=502, spare=["getMe"])
    CURRENT_UPDATE.set(77)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING), pytest.raises(Undelivered):
        await bot.send_message(CHAT, "answer")
    assert time.monotonic() - started < 1.5 + 2.0
    assert stats.given_up == 1 and texts(fake) == []
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "Gave up on sendMessage for chat 4242 (update 77)" in warning and "Bad Gateway" in warning
    fake.clear_faults()
    await bot.shutdown()
