"""What test users do: each method builds the update Telegram would send.

Messages get per-chat message ids shared with the bot's messages, dates in
seconds and the entities a Telegram client would mark.  In groups, privacy
mode decides whether the bot gets the update at all (see builders.reaches_bot).
"""

from __future__ import annotations

import copy
import time
from typing import Any

from . import builders
from .state import MessageRecord, State, StoredFile
from .validation import INLINE_TEXT, render_text

# Small but real headers, so code that sniffs the format is not fooled.
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
OGG_BYTES = b"OggS\x00\x02" + b"\x00" * 20


class UserActions:
    """Mixin for FakeTelegram: the user side of a chat."""

    _state: State

    @property
    def bot_username(self) -> str:
        return str(self._state.bot_user["username"])

    # -- chats -------------------------------------------------------------

    def add_chat(
        self,
        chat_id: int,
        chat_type: str | None = None,
        *,
        title: str | None = None,
        first_name: str = "Tester",
        username: str | None = None,
    ) -> dict[str, Any]:
        """Make a chat known, as if the user had started the bot or added it to a group.

        Telegram answers "chat not found" when a bot writes to a chat it has never seen.
        ``chat_type`` defaults to "supergroup" for negative ids, else "private".
        """
        chat_type = chat_type or ("supergroup" if chat_id < 0 else "private")
        sender = builders.user(chat_id, first_name, username)
        chat = builders.chat(chat_id, chat_type, sender=sender, title=title)
        with self._state.changed:
            self._state.chats[chat_id] = chat
        return copy.deepcopy(chat)

    def block_bot(self, chat_id: int, blocked: bool = True) -> None:
        """The user blocks the bot: sends to the chat get 403 Forbidden."""
        with self._state.changed:
            if blocked:
                self._state.blocked_chats.add(chat_id)
            else:
                self._state.blocked_chats.discard(chat_id)

    def register_file(
        self, data: bytes, file_name: str | None = None, mime_type: str | None = None, kind: str = "document"
    ) -> str:
        """Store bytes that getFile and the download route will serve; returns the file_id."""
        return self._state.store_file(data, kind, file_name, mime_type).file_id

    def push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Enqueue any update as given (no checks); returns it with its update_id."""
        return self._state.enqueue_update(kind, copy.deepcopy(payload))

    # -- messages ----------------------------------------------------------

    def send_text(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        chat_type: str | None = None,
        reply_to_message_id: int | None = None,
        entities: list[dict[str, Any]] | None = None,
        first_name: str = "Tester",
        username: str | None = None,
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        """A user writes ``text``; returns the Message (its ``message_id`` orders replies).

        Entities (bot_command, mention, url) are computed unless given.
        """
        content: dict[str, Any] = {"text": text}
        found = builders.text_entities(text) if entities is None else entities
        if found:
            content["entities"] = found
        return self._user_message(
            chat_id, user_id, content, chat_type, reply_to_message_id, first_name, username, language_code
        )

    def send_edited_text(
        self, chat_id: int, message_id: int, text: str, entities: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        """The author edits an earlier text message; sends an ``edited_message`` update."""
        with self._state.changed:
            record = self._state.message(chat_id, message_id)
            if record is None or record.from_bot or "text" not in record.api:
                raise AssertionError(f"no user text message {message_id} in chat {chat_id}")
            record.history.append(record.version())
            record.api["text"] = text
            found = builders.text_entities(text) if entities is None else entities
            record.api.pop("entities", None)
            if found:
                record.api["entities"] = found
            record.api["edit_date"] = int(time.time())
            edited = copy.deepcopy(record.api)
        self._deliver("edited_message", edited)
        return edited

    def send_photo(
        self,
        chat_id: int,
        user_id: int,
        caption: str | None = None,
        data: bytes = JPEG_BYTES,
        chat_type: str | None = None,
        reply_to_message_id: int | None = None,
        first_name: str = "Tester",
        username: str | None = None,
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        small = self._state.store_file(data, "photo", mime_type="image/jpeg")
        large = self._state.store_file(data, "photo", mime_type="image/jpeg")
        content: dict[str, Any] = {
            "photo": [
                self._file_fields(small, width=90, height=67),
                self._file_fields(large, width=800, height=600),
            ]
        }
        self._add_caption(content, caption)
        return self._user_message(
            chat_id, user_id, content, chat_type, reply_to_message_id, first_name, username, language_code
        )

    def send_sticker(
        self,
        chat_id: int,
        user_id: int,
        emoji: str = "👍",
        chat_type: str | None = None,
        reply_to_message_id: int | None = None,
        first_name: str = "Tester",
        username: str | None = None,
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        stored = self._state.store_file(b"RIFF\x00\x00\x00\x00WEBP", "sticker", mime_type="image/webp")
        sticker = self._file_fields(stored, width=512, height=512)
        sticker.update(type="regular", is_animated=False, is_video=False, emoji=emoji)
        return self._user_message(
            chat_id,
            user_id,
            {"sticker": sticker},
            chat_type,
            reply_to_message_id,
            first_name,
            username,
            language_code,
        )

    def send_voice(
        self,
        chat_id: int,
        user_id: int,
        data: bytes = OGG_BYTES,
        duration: int = 2,
        chat_type: str | None = None,
        reply_to_message_id: int | None = None,
        first_name: str = "Tester",
        username: str | None = None,
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        stored = self._state.store_file(data, "voice", mime_type="audio/ogg")
        voice = self._file_fields(stored, duration=duration, mime_type="audio/ogg")
        return self._user_message(
            chat_id,
            user_id,
            {"voice": voice},
            chat_type,
            reply_to_message_id,
            first_name,
            username,
            language_code,
        )

    def send_document(
        self,
        chat_id: int,
        user_id: int,
        file_name: str,
        data: bytes,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        chat_type: str | None = None,
        reply_to_message_id: int | None = None,
        first_name: str = "Tester",
        username: str | None = None,
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        """A user uploads a file; the bot can getFile and download exactly ``data``."""
        stored = self._state.store_file(data, "document", file_name, mime_type)
        document = self._file_fields(stored, file_name=file_name, mime_type=mime_type)
        content: dict[str, Any] = {"document": document}
        self._add_caption(content, caption)
        return self._user_message(
            chat_id, user_id, content, chat_type, reply_to_message_id, first_name, username, language_code
        )

    def forward_channel_post(
        self,
        chat_id: int,
        user_id: int,
        channel_title: str,
        post_id: int,
        text: str | None = None,
        caption: str | None = None,
        channel_username: str | None = None,
        post_date: int | None = None,
        channel_id: int = -1001234567890,
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        """A user forwards a channel's post to the bot: text, or a photo with ``caption``.

        The message carries ``forward_origin`` of type "channel" (Bot API 7), with the channel's
        chat (``username`` only for a public channel), the post's id and its original date.
        """
        if text is not None:
            content: dict[str, Any] = {"text": text}
            found = builders.text_entities(text)
            if found:
                content["entities"] = found
        else:
            photo = self._state.store_file(JPEG_BYTES, "photo", mime_type="image/jpeg")
            content = {"photo": [self._file_fields(photo, width=800, height=600)]}
            self._add_caption(content, caption)
        channel: dict[str, Any] = {"id": channel_id, "type": "channel", "title": channel_title}
        if channel_username:
            channel["username"] = channel_username
        content["forward_origin"] = {
            "type": "channel",
            "chat": channel,
            "message_id": post_id,
            "date": post_date if post_date is not None else int(time.time()) - 3600,
        }
        return self._user_message(chat_id, user_id, content, None, None, "Tester", None, language_code)

    # -- buttons and inline mode -------------------------------------------

    def press_button(
        self,
        chat_id: int,
        user_id: int,
        message_id: int,
        callback_data: str,
        check_button: bool = True,
        first_name: str = "Tester",
        username: str | None = None,
    ) -> str:
        """A user presses an inline button of a bot message; returns the callback query id.

        With ``check_button`` the message must currently show a button with this data,
        since a client cannot press anything else.
        """
        with self._state.changed:
            record = self._state.message(chat_id, message_id)
            if record is None or not record.from_bot:
                raise AssertionError(f"no bot message {message_id} in chat {chat_id}")
            if check_button and callback_data not in _callback_data(record.api.get("reply_markup")):
                raise AssertionError(
                    f"message {message_id} has no button with callback_data {callback_data!r}"
                )
            query_id = str(4_000_000_000_000_000 + self._state.next_id())
            query = {
                "id": query_id,
                "from": builders.user(user_id, first_name, username),
                "message": copy.deepcopy(record.api),
                "chat_instance": str(-(abs(chat_id) * 7919 + 17)),  # stable per chat, like Telegram's
                "data": callback_data,
            }
            self._state.callback_queries[query_id] = query
        self._state.enqueue_update("callback_query", query)
        return query_id

    def inline_query(
        self,
        user_id: int,
        query: str,
        offset: str = "",
        chat_type: str | None = "private",
        first_name: str = "Tester",
        username: str | None = None,
    ) -> str:
        """A user types ``@bot query`` in any chat; returns the inline query id."""
        with self._state.changed:
            query_id = str(5_000_000_000_000_000 + self._state.next_id())
            sender = builders.user(user_id, first_name, username)
            inline = {"id": query_id, "from": sender, "query": query, "offset": offset}
            if chat_type:
                inline["chat_type"] = chat_type
            self._state.inline_queries[query_id] = inline
        self._state.enqueue_update("inline_query", inline)
        return query_id

    def choose_inline_result(self, user_id: int, result_id: str, query_id: str | None = None) -> str | None:
        """A user picks a result of the (latest) answer; sends ``chosen_inline_result``.

        Returns the inline_message_id, which Telegram gives only for a result with
        an inline keyboard; that message can then be edited by inline_message_id.
        """
        with self._state.changed:
            answers = [a for a in self._state.inline_answers if query_id in (None, a["inline_query_id"])]
            if not answers:
                raise AssertionError(f"inline query {query_id} was not answered")
            answer = answers[-1]
            result = next((r for r in answer["results"] if r["id"] == result_id), None)
            if result is None:
                raise AssertionError(f"answer has no result {result_id!r}")
            query = self._state.inline_queries[answer["inline_query_id"]]
            chosen: dict[str, Any] = {"result_id": result_id, "from": query["from"], "query": query["query"]}
            if result.get("reply_markup"):
                chosen["inline_message_id"] = self._store_inline_message(result)
        self._state.enqueue_update("chosen_inline_result", chosen)
        return chosen.get("inline_message_id")

    # -- internals ---------------------------------------------------------

    def _user_message(
        self,
        chat_id: int,
        user_id: int,
        content: dict[str, Any],
        chat_type: str | None,
        reply_to_message_id: int | None,
        first_name: str,
        username: str | None,
        language_code: str | None,
    ) -> dict[str, Any]:
        sender = builders.user(user_id, first_name, username, language_code)
        with self._state.changed:
            chat = self._known_chat(chat_id, chat_type, sender)
            message: dict[str, Any] = {
                "message_id": self._state.new_message_id(chat_id),
                "from": sender,
                "chat": chat,
                "date": int(time.time()),
                **copy.deepcopy(content),
            }
            if reply_to_message_id is not None:
                message["reply_to_message"] = self._replied(chat_id, reply_to_message_id)
            self._state.add_message(MessageRecord(message, from_bot=False))
        self._deliver("message", message)
        return copy.deepcopy(message)

    def _known_chat(self, chat_id: int, chat_type: str | None, sender: dict[str, Any]) -> dict[str, Any]:
        known = self._state.chats.get(chat_id)
        if chat_type is None:
            # Default: the chat's known type; else what the id's sign says.
            chat_type = known["type"] if known else ("supergroup" if chat_id < 0 else "private")
        if known is None or (chat_type == "private" and known["type"] == "private"):
            known = builders.chat(chat_id, chat_type, sender=sender, title=(known or {}).get("title"))
            self._state.chats[chat_id] = known
        return copy.deepcopy(known)

    def _replied(self, chat_id: int, message_id: int) -> dict[str, Any]:
        target = self._state.message(chat_id, message_id)
        if target is None:
            raise AssertionError(f"no message {message_id} in chat {chat_id} to reply to")
        replied = copy.deepcopy(target.api)
        replied.pop("reply_to_message", None)
        return replied

    def _deliver(self, kind: str, message: dict[str, Any]) -> None:
        if builders.reaches_bot(message, self.bot_username, self._state.privacy_mode):
            self._state.enqueue_update(kind, message)
        else:
            with self._state.changed:
                self._state.undelivered.append({kind: copy.deepcopy(message)})

    def _store_inline_message(self, result: dict[str, Any]) -> str:
        inline_message_id = f"FAKE-INLINE-{self._state.next_id():06d}"
        api: dict[str, Any] = {"reply_markup": result["reply_markup"]}
        content = result.get("input_message_content") or {}
        if "message_text" in content:
            text = render_text(
                content["message_text"],
                content.get("parse_mode"),
                content.get("entities"),
                INLINE_TEXT,
                strict_html=self._state.strict_html,
            )
            api["text"] = text.text
            if text.entities:
                api["entities"] = text.entities
        record = MessageRecord(
            api,
            from_bot=True,
            method="answerInlineQuery",
            raw_text=content.get("message_text"),
            parse_mode=content.get("parse_mode"),
            inline_message_id=inline_message_id,
            markup=result["reply_markup"],
        )
        self._state.inline_messages[inline_message_id] = record
        return inline_message_id

    @staticmethod
    def _file_fields(stored: StoredFile, **extra: Any) -> dict[str, Any]:
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            **extra,
        }

    @staticmethod
    def _add_caption(content: dict[str, Any], caption: str | None) -> None:
        if caption:
            content["caption"] = caption
            found = builders.text_entities(caption)
            if found:
                content["caption_entities"] = found


def _callback_data(markup: dict[str, Any] | None) -> set[str]:
    rows = (markup or {}).get("inline_keyboard") or []
    return {button["callback_data"] for row in rows for button in row if "callback_data" in button}
