"""What tests can see of the bot's requests, and waiting for them.

All observers return deep copies.  The ``wait_for_*`` methods block the
calling thread; from an async test run them with ``asyncio.to_thread`` so the
test's own event loop keeps running.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

from .state import State
from .validation import scope_key

T = TypeVar("T")
DEFAULT_TIMEOUT = 10.0


class WaitTimeout(AssertionError):
    """A wait_for_* gave up; the message shows what the bot did meanwhile."""


class Observers:
    """Mixin for FakeTelegram: read-only views on the recorded traffic."""

    _state: State

    # -- messages ----------------------------------------------------------

    def sent_messages(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """The bot's messages in send order (all chats, plus inline messages, if chat_id is None).

        Each dict: message_id, chat_id, inline_message_id, method, date,
        text (what the user sees, entities parsed), raw_text (as sent),
        parse_mode, entities, caption, reply_markup (as sent, any kind),
        reply_to_message_id, edit_date, history (earlier versions), edit_count,
        deleted, document ({file_id, file_name, mime_type, data} for
        sendDocument/sendPhoto, else None).
        """
        return self._state.bot_messages(chat_id)

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        with self._state.changed:
            record = self._state.message(chat_id, message_id)
            if record is None:
                raise AssertionError(f"no message {message_id} in chat {chat_id}")
            return record.snapshot()

    def last_message(self, chat_id: int) -> dict[str, Any]:
        messages = self.sent_messages(chat_id)
        if not messages:
            raise AssertionError(f"the bot sent nothing to chat {chat_id}")
        return messages[-1]

    def inline_message(self, inline_message_id: str) -> dict[str, Any]:
        with self._state.changed:
            return self._state.inline_messages[inline_message_id].snapshot()

    # -- requests ----------------------------------------------------------

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """Every request, in arrival order: method, http_method, params (nested JSON
        decoded), time, status (None while pending), ok, description, result,
        and injected=True for answers forced by a fault (fail_next, outage, ...).  File downloads
        appear as method "(download)"."""
        with self._state.changed:
            found = [c for c in self._state.calls if method is None or c["method"].lower() == method.lower()]
            return copy.deepcopy(found)

    def errors(self) -> list[dict[str, Any]]:
        """Requests Telegram refused, other than those refused by an injected fault."""
        return [c for c in self.calls() if c["ok"] is False and not c.get("injected") and c["status"] != 499]

    def chat_actions(self, chat_id: int | None = None) -> list[str]:
        return [
            str(c["params"].get("action"))
            for c in self.calls("sendChatAction")
            if c["ok"] and (chat_id is None or str(c["params"].get("chat_id")) == str(chat_id))
        ]

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates the bot has not confirmed yet (via offset or a webhook answer)."""
        with self._state.changed:
            return copy.deepcopy(self._state.updates)

    def undelivered(self) -> list[dict[str, Any]]:
        """Group messages that privacy mode kept from the bot."""
        with self._state.changed:
            return copy.deepcopy(self._state.undelivered)

    def callback_answers(self, callback_query_id: str | None = None) -> list[dict[str, Any]]:
        with self._state.changed:
            answers = self._state.callback_answers
            return copy.deepcopy([a for a in answers if callback_query_id in (None, a["callback_query_id"])])

    def inline_answers(self, inline_query_id: str | None = None) -> list[dict[str, Any]]:
        with self._state.changed:
            answers = self._state.inline_answers
            return copy.deepcopy([a for a in answers if inline_query_id in (None, a["inline_query_id"])])

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict[str, str]]:
        """Commands set for exactly this scope (default scope if None) and language."""
        with self._state.changed:
            return copy.deepcopy(self._state.commands.get((scope_key(scope), language_code), []))

    def all_commands(self) -> dict[tuple[str, str], list[dict[str, str]]]:
        """Every command list, keyed by (scope as canonical JSON, language_code)."""
        with self._state.changed:
            return copy.deepcopy(self._state.commands)

    def bot_texts(self) -> dict[tuple[str, str], str]:
        """Descriptions, short descriptions and names, keyed by (kind, language_code)."""
        with self._state.changed:
            return dict(self._state.descriptions)

    def webhook(self) -> dict[str, Any]:
        with self._state.changed:
            return dict(self._state.webhook)

    # -- waiting -----------------------------------------------------------

    def wait_until(
        self, check: Callable[[], T], timeout: float = DEFAULT_TIMEOUT, what: str = "condition"
    ) -> T:
        """Wait until ``check()`` returns something truthy and return it."""
        deadline = time.monotonic() + timeout
        with self._state.changed:
            while True:
                result = check()
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise WaitTimeout(f"timed out after {timeout}s waiting for {what}\n{self._diagnosis()}")
                self._state.changed.wait(remaining)

    def wait_for_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = DEFAULT_TIMEOUT,
        after_message_id: int | None = None,
    ) -> list[dict[str, Any]]:
        """Wait until the bot has sent ``count`` messages to the chat (only those with
        a message_id above ``after_message_id``, e.g. the user's message); return them all."""

        def newer() -> list[dict[str, Any]]:
            found = [
                m for m in self.sent_messages(chat_id) if (m["message_id"] or 0) > (after_message_id or 0)
            ]
            return found if len(found) >= count else []

        return self.wait_until(newer, timeout, f"{count} bot message(s) in chat {chat_id}")

    def wait_for_edit(
        self, chat_id: int, message_id: int, edits: int = 1, timeout: float = DEFAULT_TIMEOUT
    ) -> dict[str, Any]:
        """Wait until the bot message has been edited ``edits`` times; return it."""

        def edited() -> dict[str, Any]:
            record = self._state.message(chat_id, message_id)
            return record.snapshot() if record and len(record.history) >= edits else {}

        return self.wait_until(edited, timeout, f"{edits} edit(s) of message {message_id} in chat {chat_id}")

    def wait_for_calls(
        self, method: str, count: int = 1, timeout: float = DEFAULT_TIMEOUT
    ) -> list[dict[str, Any]]:
        """Wait until ``count`` calls of ``method`` have been answered; return those."""

        def answered() -> list[dict[str, Any]]:
            done = [c for c in self.calls(method) if c["status"] is not None]
            return done if len(done) >= count else []

        return self.wait_until(answered, timeout, f"{count} answered {method} call(s)")

    def _diagnosis(self) -> str:
        calls = self.calls()
        lines = ["last requests:"]
        for call in [c for c in calls if c["method"] != "getUpdates"][-12:]:
            detail = call["description"] or ""
            lines.append(f"  {call['method']} -> {call['status']} {detail}")
        texts = json.dumps([m["text"] for m in self.sent_messages()], ensure_ascii=False)
        lines.append(f"bot messages: {texts[:1500]}")
        lines.append(f"pending updates: {len(self.pending_updates())}")
        return "\n".join(lines)
