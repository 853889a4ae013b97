"""FakeTelegram: the object tests use to run and drive the fake Bot API."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self

from .observers import Observers
from .server import BotApiServer
from .state import Fault, State
from .user_actions import UserActions


def make_token(bot_id: int) -> str:
    # Same shape as a real token, so PTB and the 401-vs-404 rule treat it as one.
    return f"{bot_id}:{secrets.token_urlsafe(27)[:35]}"


class FakeTelegram(UserActions, Observers):
    """A Bot API server on 127.0.0.1 for one bot, with a test-side API.

    Point the bot at it with ``ApplicationBuilder().token(fake.token)
    .base_url(fake.base_url).base_file_url(fake.base_file_url)``.
    Use as a context manager, or call start() and stop().
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        bot_id: int = 7_000_000_001,
        bot_username: str = "runding_test_bot",
        bot_first_name: str = "Runding",
        privacy_mode: bool = True,
        strict_html: bool = True,
        host: str = "127.0.0.1",
    ) -> None:
        bot_user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": not privacy_mode,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self._state = State(bot_user, privacy_mode=privacy_mode, strict_html=strict_html)
        self._token = token or make_token(bot_id)
        self._server = BotApiServer(self._state, self._token, host)
        self._host = host
        self._port: int | None = None

    def __repr__(self) -> str:  # never show the token
        return f"FakeTelegram(@{self.bot_username}, port={self._port}, running={self.running})"

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> FakeTelegram:
        """Serve on a free port, or on the same port as before after a stop()."""
        self._port = self._server.start(self._port or 0)
        return self

    def stop(self) -> None:
        """Stop serving; state (updates, messages, ...) is kept for a later start()."""
        self._server.stop()

    def restart(self, downtime: float = 0.0) -> None:
        """Go away for ``downtime`` seconds and come back on the same port."""
        self.stop()
        if downtime > 0:
            time.sleep(downtime)
        self.start()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server.running

    @property
    def token(self) -> str:
        return self._token

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeTelegram has not been started")
        return self._port

    @property
    def base_url(self) -> str:
        """For ApplicationBuilder().base_url(...) / Bot(base_url=...)."""
        return f"http://{self._host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ApplicationBuilder().base_file_url(...); needed to download files."""
        return f"http://{self._host}:{self.port}/file/bot"

    @property
    def bot_user(self) -> dict[str, Any]:
        return dict(self._state.bot_user)

    @property
    def bot_id(self) -> int:
        return int(self._state.bot_user["id"])

    # -- fault injection ---------------------------------------------------

    def fail_next(
        self,
        method: str | None = None,
        times: int = 1,
        status: int = 429,
        retry_after: int = 1,
        description: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (None: any method) with an error.

        429 comes as Telegram sends it, with parameters.retry_after (PTB raises
        RetryAfter); 5xx with the status phrase (PTB raises NetworkError).
        Rules apply in the order they were added.
        """
        parameters = None
        if description is None and status == HTTPStatus.TOO_MANY_REQUESTS:
            description = f"Too Many Requests: retry after {retry_after}"
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            parameters = {"retry_after": retry_after}
        if description is None:
            description = HTTPStatus(status).phrase
        fault = Fault(method.lower() if method else None, times, status, description, parameters)
        with self._state.changed:
            self._state.faults.append(fault)

    def outage(
        self, seconds: float, status: int = 502, method: str | None = None, spare: Iterable[str] = ()
    ) -> None:
        """For the next ``seconds``, answer every call of ``method`` (None: any method, but
        those in ``spare``) with ``status``, as Telegram's front end does when its back end is down."""
        self._add_fault(method, status, until=time.monotonic() + seconds, spare=spare)

    def fail_randomly(
        self,
        share: float,
        status: int = 502,
        method: str | None = None,
        spare: Iterable[str] = (),
        seconds: float = 86_400.0,
    ) -> None:
        """Answer a random ``share`` of the calls (seeded dice) with ``status``, for ``seconds``."""
        self._add_fault(method, status, until=time.monotonic() + seconds, spare=spare, share=share)

    def slow_next(self, method: str, delay: float, times: int = 1) -> None:
        """Do the next ``times`` calls of ``method`` (a message is sent), but answer only after
        ``delay`` seconds: a client with a shorter timeout gives up on a call that worked."""
        self._add_fault(method, HTTPStatus.OK, times=times, kind="slow", delay=delay)

    def drop_next(self, method: str | None = None, times: int = 1) -> None:
        """Close the connection of the next ``times`` calls without doing or answering them."""
        self._add_fault(method, 0, times=times, kind="drop")

    def _add_fault(
        self,
        method: str | None,
        status: int,
        *,
        times: int = 0,
        kind: str = "error",
        delay: float = 0.0,
        until: float | None = None,
        share: float = 1.0,
        spare: Iterable[str] = (),
    ) -> None:
        description = HTTPStatus(status).phrase if status else "connection closed"
        fault = Fault(
            method.lower() if method else None,
            times,
            status,
            description,
            None,
            kind=kind,
            delay=delay,
            until=until,
            share=share,
            spare=frozenset(m.lower() for m in spare),
        )
        with self._state.changed:
            self._state.faults.append(fault)

    def clear_faults(self) -> None:
        with self._state.changed:
            self._state.faults.clear()
