"""Replies that survive Telegram's bad moments.

Every Bot API call of the Application passes through its rate limiter (getUpdates aside, which
the updater retries by itself), so the retries live there: `RetryingRateLimiter` is PTB's
AIORateLimiter (about 30 requests/s overall, 20/min per group) plus tenacity retries for replies
(send*, edit*, answer*), with exponential backoff and jitter, bounded by DELIVERY_RETRY_SECONDS.

What is retried, and why a reply is sent at most once:
- Telegram refused to take it (5xx from its front end, 429 with retry_after) or the bot never
  reached it (connection refused, connect or pool timeout): nothing arrived, so it is sent again.
- The request went out and no answer came back (read timeout, connection dropped mid-way): it may
  well have arrived, and the Bot API has no way to ask. A new message (send*) is not sent again,
  so a user never gets the same answer twice; the failure is logged at WARNING as unconfirmed.
  TELEGRAM_TIMEOUT_SECONDS (15 s) gives Telegram ample time before that happens.
  Edits and answers to queries are retried: doing them twice shows the same thing once.
- 400 (bad request, chat not found) and 403 (the user blocked the bot) are final: no retry.
A 429 holds back only the request that got it: AIORateLimiter alone would pause every chat.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from enum import Enum
from typing import Any

import httpx
from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, ContextTypes
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_before_delay,
    wait_exponential_jitter,
)

from bot.telegram.stats import Stats

log = logging.getLogger(__name__)

# The update a handler is working on, for log lines about its replies. A ContextVar, not shared
# state: PTB handles each update in its own task, and each task sees its own value.
CURRENT_UPDATE: ContextVar[int | None] = ContextVar("current_update", default=None)

REPLY_METHODS = ("send", "edit", "answer", "copy", "forward")
# Telegram shows a second edit or query answer as the first one: safe to repeat when unsure.
REPEATABLE_METHODS = ("edit", "answer")
# What Telegram says to a repeated edit or query answer whose first try did arrive.
ALREADY_DONE = ("message is not modified", "query is too old")
# A typing action is a hint whose moment passes; the answer must not wait for its retries.
NOT_RETRIED = frozenset({"sendChatAction"})
# httpx errors raised before the request left the machine: Telegram never saw it.
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
BACKOFF = wait_exponential_jitter(multiplier=0.5, max=8.0, jitter=0.5)  # 0.5, 1, 2, 4, 8, 8 s...; + up to 0.5

Callback = Callable[..., Coroutine[Any, Any, Any]]


class Failure(Enum):
    FINAL = "final"  # 400, 403, anything that is not the network: retrying changes nothing
    NOT_TAKEN = "not taken"  # nothing arrived: safe to send again
    UNSURE = "unsure"  # sent, no answer: it may have arrived


class Undelivered(NetworkError):
    """A reply given up on; already logged at WARNING with its chat and update."""


class Unconfirmed(Undelivered):
    """Sent, but no answer came: it may have arrived, so it is not sent again."""


class GivenUp(Undelivered):
    """Telegram did not take it within DELIVERY_RETRY_SECONDS: it never arrived."""


def classify(error: BaseException) -> Failure:
    if isinstance(error, RetryAfter):
        return Failure.NOT_TAKEN
    if not isinstance(error, NetworkError) or isinstance(error, (BadRequest, Undelivered)):
        return Failure.FINAL
    cause = error.__cause__
    if isinstance(cause, httpx.HTTPError):  # PTB wraps the transport's error
        return Failure.NOT_TAKEN if isinstance(cause, NEVER_SENT) else Failure.UNSURE
    return Failure.NOT_TAKEN  # a 5xx answer: Telegram's front end says it did not do it


def may_retry(error: BaseException, endpoint: str) -> bool:
    kind = classify(error)
    return kind is Failure.NOT_TAKEN or (kind is Failure.UNSURE and endpoint.startswith(REPEATABLE_METHODS))


def wait_seconds(state: RetryCallState) -> float:
    """Telegram's retry_after when it gave one (plus a little jitter), else exponential backoff."""
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, RetryAfter):
        # pylint: disable=protected-access  # the timedelta; the public one warns (PTB 22.8, pinned)
        return error._retry_after.total_seconds() + random.uniform(0.1, 0.5)
    return BACKOFF(state)


async def note_update(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handler of group -2 (before all others): remember the update id for the log lines of its replies."""
    CURRENT_UPDATE.set(update.update_id if isinstance(update, Update) else None)


def addressee(data: dict[str, Any]) -> str:
    for key in ("chat_id", "inline_query_id", "callback_query_id", "inline_message_id"):
        if data.get(key) is not None:
            return f"{key.removesuffix('_id').replace('_', ' ')} {data[key]}"
    return "no chat"


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter's limits for every request; bounded retries for replies."""

    def __init__(self, stats: Stats, retry_seconds: float, overall_max_rate: float) -> None:
        super().__init__(overall_max_rate=overall_max_rate, max_retries=0)
        self.stats = stats
        self.retry_seconds = retry_seconds

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        chat_id = data.get("chat_id")
        with_chat = chat_id is not None
        try:
            chat_id = int(chat_id)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            pass
        group = chat_id if (isinstance(chat_id, int) and chat_id < 0) or isinstance(chat_id, str) else False

        async def once() -> Any:
            # pylint: disable=protected-access  # AIORateLimiter's limits without its global 429 pause
            return await self._run_request(
                chat=with_chat,
                group=group,
                allow_paid_broadcast=data.get("allow_paid_broadcast", False),
                callback=callback,
                args=args,
                kwargs=kwargs,
            )

        if endpoint in NOT_RETRIED or not endpoint.startswith(REPLY_METHODS):
            return await once()
        return await self._deliver(once, endpoint, data)

    async def _deliver(
        self, once: Callable[[], Coroutine[Any, Any, Any]], endpoint: str, data: dict[str, Any]
    ) -> Any:
        started, tries, unsure = time.monotonic(), 0, False

        async def attempt() -> Any:
            nonlocal tries, unsure
            tries += 1
            try:
                return await once()
            except BadRequest as error:
                if unsure and any(sign in str(error).lower() for sign in ALREADY_DONE):
                    return True  # the earlier try, whose answer was lost, did arrive
                raise
            except NetworkError as error:
                unsure = unsure or classify(error) is Failure.UNSURE
                raise

        retrying = AsyncRetrying(
            retry=retry_if_exception(lambda error: may_retry(error, endpoint)),
            stop=stop_before_delay(self.retry_seconds),
            wait=wait_seconds,
            before_sleep=lambda state: log.info(
                "%s for %s failed (%s), try %d; retrying",
                endpoint,
                addressee(data),
                reason(state.outcome.exception() if state.outcome else None),
                state.attempt_number,
            ),
            reraise=True,
        )
        try:
            result: Any = await retrying(attempt)
        except TelegramError as error:
            raise self._gave_up(error, endpoint, data, tries, time.monotonic() - started) from error
        if tries > 1:
            self.stats.delivered_after_retry += 1
            log.info("%s for %s delivered after %d tries", endpoint, addressee(data), tries)
        return result

    def _gave_up(
        self, error: TelegramError, endpoint: str, data: dict[str, Any], tries: int, seconds: float
    ) -> TelegramError:
        """Log a reply that did not get through; the error for the handler (PTB's when final)."""
        where = f"{endpoint} for {addressee(data)} (update {CURRENT_UPDATE.get()})"
        kind = classify(error)
        if kind is Failure.FINAL:
            log.warning("%s refused by Telegram, not retried: %s", where, reason(error))
            return error  # handlers look at BadRequest ("message is not modified")
        if kind is Failure.UNSURE and not endpoint.startswith(REPEATABLE_METHODS):
            self.stats.unconfirmed += 1
            log.warning(
                "%s: sent, but no answer came (%s); it may have arrived, so it is not sent again",
                where,
                reason(error),
            )
            return Unconfirmed(f"{endpoint} unconfirmed")
        self.stats.given_up += 1
        log.warning("Gave up on %s after %d tries in %.0f s: %s", where, tries, seconds, reason(error))
        return GivenUp(f"{endpoint} given up")


def reason(error: BaseException | None) -> str:
    if error is None:
        return "unknown"
    cause = error.__cause__
    detail = f"{type(cause).__name__}" if isinstance(cause, httpx.HTTPError) else str(error)
    return f"{type(error).__name__}: {detail}"
