"""The fake Bot API's HTTP side: an aiohttp app on its own loop and thread.

Routes, like api.telegram.org:
    /bot{token}/{method}        GET or POST, query/form/multipart/JSON
    /file/bot{token}/{path}     file downloads (after getFile)

Nothing here logs a URL or a parameter: the URL holds the bot token.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
from http import HTTPStatus
from typing import Any

import aiohttp
from aiohttp import web

from .api import BotApi
from .params import get_float, get_int, get_json, read_params
from .state import Fault, State
from .validation import ApiError

log = logging.getLogger(__name__)

TOKEN_FORMAT = re.compile(r"^\d+:[A-Za-z0-9_-]{35}$")
TERMINATED = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
WEBHOOK_ACTIVE = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
# In-flight requests get this long to finish when the server stops; a stop
# stands for the API going away, so long polls are cut rather than awaited.
SHUTDOWN_GRACE = 0.2
WEBHOOK_RETRY_DELAY = 0.2


class HangUp(Exception):
    """A fault: close the connection without answering, as a proxy that drops it would."""


def token_error(token: str) -> tuple[int, dict[str, Any]]:
    # Telegram answers 401 to a well-formed but wrong token, 404 to a malformed one.
    if TOKEN_FORMAT.match(token):
        return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
    return 404, {"ok": False, "error_code": 404, "description": "Not Found"}


def fault_answer(fault: Fault) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {"ok": False, "error_code": fault.status, "description": fault.description}
    if fault.parameters:
        body["parameters"] = fault.parameters
    return fault.status, body


class BotApiServer:
    """Serves the fake Bot API from a background thread with its own event loop."""

    def __init__(self, state: State, token: str, host: str = "127.0.0.1") -> None:
        self.state = state
        self.token = token
        self.host = host
        self.port: int | None = None
        self.api = BotApi(state)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._updates_event: asyncio.Event | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._poll_generation = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- lifecycle (called from the test's thread) -------------------------

    def start(self, port: int = 0) -> int:
        """Start serving on ``port`` (0: a free one); return the bound port."""
        if self.running:
            raise RuntimeError("fake Telegram is already running")
        ready = threading.Event()
        failures: list[BaseException] = []
        self._thread = threading.Thread(
            target=self._run, args=(port, ready, failures), name="fake-telegram", daemon=True
        )
        self._thread.start()
        ready.wait(timeout=10)
        if failures:
            self._thread.join()
            raise failures[0]
        assert self.port is not None
        return self.port

    def stop(self) -> None:
        if not self.running or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        assert self._thread is not None
        self._thread.join(timeout=10)

    def _run(self, port: int, ready: threading.Event, failures: list[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._open(port))
        except BaseException as exc:  # noqa: BLE001 - reported to start() in the test's thread
            failures.append(exc)
            ready.set()
            loop.close()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._close())
            loop.close()

    async def _open(self, port: int) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        # No access log: its lines would contain the token.  Handler cancellation
        # ends a long poll whose client went away, as Telegram does.
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=SHUTDOWN_GRACE
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, port, reuse_address=True)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = runner.addresses[0][1]
        self._updates_event = asyncio.Event()
        self.state.update_listener = self._wake_threadsafe(asyncio.get_running_loop(), self._updates_event)
        self._webhook_task = asyncio.create_task(self._deliver_webhooks())

    async def _close(self) -> None:
        self.state.update_listener = None
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            await asyncio.gather(self._webhook_task, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = None

    @staticmethod
    def _wake_threadsafe(loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> Any:
        def wake() -> None:
            # If the loop is closing, the update simply waits in the state.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(event.set)

        return wake

    # -- requests ----------------------------------------------------------

    async def _handle_method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            status, body = token_error(request.match_info["token"])
            return web.json_response(body, status=status)
        try:
            params = await read_params(request)
        except ApiError as error:
            return web.json_response(error.payload(), status=error.code)
        record = self.state.record_call(method, request.method, params)
        try:
            status, body = await self._answer(method, params, record)
        except asyncio.CancelledError:
            self.state.finish_call(record, 499, {"ok": False, "description": "client went away"})
            raise
        except HangUp:
            self.state.finish_call(record, 0, {"ok": False, "description": "connection closed by the fake"})
            if request.transport is not None:
                request.transport.abort()
            return web.Response()  # goes nowhere: the connection is gone
        if request.transport is None or request.transport.is_closing():
            # Nobody receives this answer (e.g. a long poll cut by a newer one
            # after its client left), so it is not an error the bot saw.
            status, body = 499, {"ok": False, "description": "client went away"}
        self.state.finish_call(record, status, body)
        return web.json_response(body, status=status)

    async def _answer(
        self, method: str, params: dict[str, Any], record: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        fault = self.state.take_fault(method)
        if fault is not None:
            record["injected"] = True
            if fault.kind == "drop":
                raise HangUp
            if fault.kind == "error":
                return fault_answer(fault)
        status, body = await self._serve(method, params)
        if fault is not None:  # slow: the work is done (a message is sent), only the answer is late
            await asyncio.sleep(fault.delay)
        return status, body

    async def _serve(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        try:
            if method.lower() == "getupdates":
                result = await self._get_updates(params)
            else:
                result = self.api.call(method, params)
        except ApiError as error:
            return error.code, error.payload()
        except Exception:
            log.exception("fake Telegram failed answering %s", method)
            return 500, {
                "ok": False,
                "error_code": 500,
                "description": "Internal Server Error: bug in the fake",
            }
        if method.lower() in ("setwebhook", "deletewebhook") and self._updates_event is not None:
            self._updates_event.set()  # the webhook sender re-reads its target
        return 200, {"ok": True, "result": result}

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """A long poll: answer as soon as an update exists, or after ``timeout``."""
        if self.state.webhook["url"]:
            raise ApiError(409, WEBHOOK_ACTIVE)
        offset = get_int(params, "offset", default=0) or 0
        limit = min(max(get_int(params, "limit", default=100) or 100, 1), 100)
        timeout = max(get_float(params, "timeout", default=0.0), 0.0)
        self.state.set_allowed_updates(get_json(params, "allowed_updates"))
        self.state.confirm_updates(offset)
        event = self._updates_event
        assert event is not None
        # Telegram ends an older waiting getUpdates with 409 when a new one comes.
        self._poll_generation += 1
        generation = self._poll_generation
        event.set()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event.clear()  # clear, then look, then wait: no wake-up is lost
            if generation != self._poll_generation:
                raise ApiError(409, TERMINATED)
            updates = self.state.peek_updates(limit)
            remaining = deadline - loop.time()
            outage = self.state.outage_for("getUpdates") if updates else None
            if outage is not None:  # a long poll that began before an outage ends in it, not with updates
                raise ApiError(outage.status, outage.description)
            if updates or remaining <= 0:
                return updates
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            status, body = token_error(request.match_info["token"])
            return web.json_response(body, status=status)
        file_path = request.match_info["file_path"]
        record = self.state.record_call("(download)", request.method, {"file_path": file_path})
        stored = self.state.file_by_path(file_path)
        if stored is None:
            body = {"ok": False, "error_code": 404, "description": "Not Found"}
            self.state.finish_call(record, 404, body)
            return web.json_response(body, status=404)
        self.state.finish_call(record, 200, {"ok": True})
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")

    # -- webhook delivery --------------------------------------------------

    async def _deliver_webhooks(self) -> None:
        """POST pending updates one by one to the webhook, retrying until accepted."""
        event = self._updates_event
        assert event is not None
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            while True:
                event.clear()
                hook = dict(self.state.webhook)
                updates = self.state.peek_updates(1) if hook["url"] else []
                if not updates:
                    await event.wait()
                    continue
                update = updates[0]
                if await self._post_update(session, hook, update):
                    self.state.confirm_updates(update["update_id"] + 1)
                else:
                    await asyncio.sleep(WEBHOOK_RETRY_DELAY)

    @staticmethod
    async def _post_update(
        session: aiohttp.ClientSession, hook: dict[str, Any], update: dict[str, Any]
    ) -> bool:
        headers = {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]} if hook["secret_token"] else {}
        try:
            async with session.post(hook["url"], json=update, headers=headers) as response:
                return HTTPStatus.OK <= response.status < HTTPStatus.MULTIPLE_CHOICES
        except (aiohttp.ClientError, TimeoutError):
            return False
