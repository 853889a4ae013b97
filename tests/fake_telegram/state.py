"""Everything the fake Telegram remembers, shared by the server and the tests.

The server's event loop thread and the test's thread both touch this state,
so every access goes through one re-entrant lock; its condition variable
lets tests wait for what the bot does.  Observers get deep copies so a test
never sees a dict change under it.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import mimetypes
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .params import UploadedFile

# getUpdates delivers these only when allowed_updates names them.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
INT_PARAMS = frozenset(
    {"chat_id", "message_id", "user_id", "offset", "limit", "timeout", "cache_time", "reply_to_message_id"}
)
JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "commands",
        "scope",
        "results",
        "entities",
        "caption_entities",
        "reply_parameters",
        "allowed_updates",
        "link_preview_options",
        "button",
    }
)


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None

    def api(self) -> dict[str, Any]:
        """The File object getFile returns."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


@dataclass
class MessageRecord:
    """One message in a chat (or an inline message), as Telegram holds it."""

    api: dict[str, Any]  # the Message object as Telegram would serialise it now
    from_bot: bool
    method: str | None = None
    raw_text: str | None = None
    parse_mode: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False
    inline_message_id: str | None = None
    file: StoredFile | None = None
    # The reply_markup as sent; ``api`` echoes inline keyboards only.
    markup: dict[str, Any] | None = None

    def version(self) -> dict[str, Any]:
        """The editable part, kept in ``history`` when an edit replaces it."""
        return {
            "text": self.api.get("text"),
            "caption": self.api.get("caption"),
            "raw_text": self.raw_text,
            "parse_mode": self.parse_mode,
            "entities": self.api.get("entities") or self.api.get("caption_entities") or [],
            "reply_markup": self.markup if self.from_bot else self.api.get("reply_markup"),
            "edit_date": self.api.get("edit_date"),
        }

    def snapshot(self) -> dict[str, Any]:
        chat = self.api.get("chat") or {}
        reply_to = self.api.get("reply_to_message") or {}
        view = {
            "message_id": self.api.get("message_id"),
            "chat_id": chat.get("id"),
            "inline_message_id": self.inline_message_id,
            "method": self.method,
            "date": self.api.get("date"),
            "reply_to_message_id": reply_to.get("message_id"),
            "history": self.history,
            "edit_count": len(self.history),
            "deleted": self.deleted,
            "document": None,
            **self.version(),
        }
        if self.file is not None:
            view["document"] = {
                "file_id": self.file.file_id,
                "file_name": self.file.file_name,
                "mime_type": self.file.mime_type,
                "data": self.file.data,
            }
        return copy.deepcopy(view)


@dataclass
class Fault:
    """How the fake misbehaves for some calls: it answers an error, answers late, or hangs up."""

    method: str | None  # lower-case method name, None for any method
    remaining: int  # calls still to hit; unused while `until` is set
    status: int
    description: str
    parameters: dict[str, Any] | None
    kind: str = "error"  # error: answer `status`; slow: do the work, answer after `delay`; drop: hang up
    delay: float = 0.0
    until: float | None = None  # time.monotonic() at which an outage ends
    share: float = 1.0  # the chance that a matching call is hit
    spare: frozenset[str] = frozenset()  # lower-case methods an outage leaves alone

    def active(self, now: float) -> bool:
        return now < self.until if self.until is not None else self.remaining > 0

    def matches(self, method: str) -> bool:
        name = method.lower()
        return self.method in (None, name) and name not in self.spare


class State:
    def __init__(self, bot_user: dict[str, Any], *, privacy_mode: bool, strict_html: bool) -> None:
        self.changed = threading.Condition(threading.RLock())
        self.bot_user = bot_user
        self.privacy_mode = privacy_mode
        self.strict_html = strict_html
        self.chats: dict[int, dict[str, Any]] = {}
        self.blocked_chats: set[int] = set()
        self.messages: dict[tuple[int, int], MessageRecord] = {}
        self.inline_messages: dict[str, MessageRecord] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self.updates: list[dict[str, Any]] = []
        self.undelivered: list[dict[str, Any]] = []
        self.allowed_updates: frozenset[str] | None = None
        self._update_ids = itertools.count(1)
        self._ids = itertools.count(1)
        self.files: dict[str, StoredFile] = {}
        self.calls: list[dict[str, Any]] = []
        self.callback_queries: dict[str, dict[str, Any]] = {}
        self.inline_queries: dict[str, dict[str, Any]] = {}
        self.answered_queries: set[str] = set()
        self.callback_answers: list[dict[str, Any]] = []
        self.inline_answers: list[dict[str, Any]] = []
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}
        self.webhook: dict[str, Any] = {"url": "", "secret_token": None}
        self.faults: list[Fault] = []
        self.fault_dice = random.Random(0)  # seeded: a flaky run can be replayed
        # Set by the running server so a new update wakes its long polls.
        self.update_listener: Callable[[], None] | None = None

    # -- helpers -----------------------------------------------------------

    def notify(self) -> None:
        with self.changed:
            self.changed.notify_all()

    def next_id(self) -> int:
        with self.changed:
            return next(self._ids)

    def new_message_id(self, chat_id: int) -> int:
        # Message ids count per chat, shared by the users' and the bot's messages.
        with self.changed:
            counter = self._message_ids.setdefault(chat_id, itertools.count(1))
            return next(counter)

    # -- updates -----------------------------------------------------------

    def enqueue_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        with self.changed:
            update = {"update_id": next(self._update_ids), kind: payload}
            self.updates.append(update)
            self.changed.notify_all()
            listener = self.update_listener
        if listener is not None:
            listener()
        return copy.deepcopy(update)

    def confirm_updates(self, offset: int) -> None:
        """getUpdates' offset: forget updates below it (or keep the last -offset)."""
        with self.changed:
            if offset > 0:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            elif offset < 0:
                self.updates = self.updates[offset:]

    def set_allowed_updates(self, allowed: list[str] | None) -> None:
        # Telegram keeps the last allowed_updates for later calls; [] means default.
        if allowed is not None:
            with self.changed:
                self.allowed_updates = frozenset(allowed) if allowed else None

    def _allowed(self, update: dict[str, Any]) -> bool:
        kind = next(key for key in update if key != "update_id")
        if self.allowed_updates is None:
            return kind not in OPT_IN_UPDATES
        return kind in self.allowed_updates

    def peek_updates(self, limit: int) -> list[dict[str, Any]]:
        with self.changed:
            self.updates = [u for u in self.updates if self._allowed(u)]
            return copy.deepcopy(self.updates[:limit])

    # -- messages ----------------------------------------------------------

    def add_message(self, record: MessageRecord) -> None:
        with self.changed:
            chat_id = record.api["chat"]["id"]
            self.messages[(chat_id, record.api["message_id"])] = record
            self.changed.notify_all()

    def message(self, chat_id: int, message_id: int) -> MessageRecord | None:
        with self.changed:
            return self.messages.get((chat_id, message_id))

    def bot_messages(self, chat_id: int | None) -> list[dict[str, Any]]:
        with self.changed:
            records = [r for r in self.messages.values() if r.from_bot]
            if chat_id is None:
                records += list(self.inline_messages.values())
            else:
                records = [r for r in records if r.api["chat"]["id"] == chat_id]
            return [r.snapshot() for r in records]

    # -- files -------------------------------------------------------------

    def store_file(
        self, data: bytes, kind: str, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        with self.changed:
            number = next(self._ids)
            suffix = ""
            if file_name and "." in file_name:
                suffix = "." + file_name.rsplit(".", 1)[1]
            elif mime_type:
                suffix = mimetypes.guess_extension(mime_type) or ""
            stored = StoredFile(
                file_id=f"FAKE-{kind.upper()}-{number:06d}",
                file_unique_id=f"U{number:06d}",
                file_path=f"{kind}s/file_{number}{suffix}",
                data=bytes(data),
                file_name=file_name,
                mime_type=mime_type,
            )
            self.files[stored.file_id] = stored
            return stored

    def file_by_path(self, file_path: str) -> StoredFile | None:
        with self.changed:
            return next((f for f in self.files.values() if f.file_path == file_path), None)

    # -- calls and faults --------------------------------------------------

    def record_call(self, method: str, http_method: str, params: dict[str, Any]) -> dict[str, Any]:
        record = {
            "method": method,
            "http_method": http_method,
            "params": readable_params(params),
            "time": time.time(),
            "status": None,  # filled in when the answer is sent
            "ok": None,
            "description": None,
            "result": None,
        }
        with self.changed:
            self.calls.append(record)
        return record

    def finish_call(self, record: dict[str, Any], status: int, body: dict[str, Any]) -> None:
        with self.changed:
            record.update(
                status=status,
                ok=body.get("ok"),
                description=body.get("description"),
                result=copy.deepcopy(body.get("result")),
            )
            self.changed.notify_all()

    def outage_for(self, method: str) -> Fault | None:
        """The outage (every call failing, for a time) that ``method`` is in now, if any."""
        now = time.monotonic()
        with self.changed:
            return next(
                (
                    f
                    for f in self.faults
                    if f.until is not None
                    and f.share >= 1.0
                    and f.active(now)
                    and f.kind == "error"
                    and f.matches(method)
                ),
                None,
            )

    def take_fault(self, method: str) -> Fault | None:
        now = time.monotonic()
        with self.changed:
            self.faults = [f for f in self.faults if f.active(now)]
            for fault in self.faults:
                if not fault.matches(method):
                    continue
                if fault.share < 1.0 and self.fault_dice.random() >= fault.share:
                    continue
                if fault.until is None:
                    fault.remaining -= 1
                return fault
            return None


def readable_params(params: dict[str, Any]) -> dict[str, Any]:
    """Params as a test wants to assert on them: nested JSON decoded, numeric ids
    as ints (forms carry only strings), files summarised."""
    readable: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, UploadedFile):
            value = {"file_name": value.file_name, "mime_type": value.mime_type, "size": len(value.data)}
        elif key in INT_PARAMS and isinstance(value, str) and re.fullmatch(r"-?\d+", value):
            value = int(value)
        elif key in JSON_PARAMS and isinstance(value, str):
            with contextlib.suppress(ValueError):  # left as sent; the method will refuse it
                value = json.loads(value)
        readable[key] = value
    return readable
