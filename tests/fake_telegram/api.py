"""The Bot API methods the fake answers (all but getUpdates, which waits).

Each handler takes the request parameters and returns the ``result`` of a
successful answer or raises ApiError, as Telegram would.
"""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Callable
from typing import Any

from .params import UploadedFile, get_bool, get_int, get_json, get_str, not_found_method
from .state import MessageRecord, State, StoredFile
from .validation import (
    CAPTION_TEXT,
    MESSAGE_TEXT,
    ApiError,
    RenderedText,
    TextErrors,
    bad_request,
    render_text,
    scope_key,
    validate_commands,
    validate_inline_results,
    validate_language_code,
    validate_reply_markup,
)

Handler = Callable[["BotApi", dict[str, Any]], Any]
_HANDLERS: dict[str, Handler] = {}

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
QUERY_EXPIRED = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_TEXT_LIMITS = {"description": 512, "short_description": 120, "name": 64}
MAX_DOWNLOAD = 20 * 1024 * 1024


def handles(*names: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for name in names:
            _HANDLERS[name.lower()] = handler
        return handler

    return register


def _inline_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    # A Message carries only inline keyboards; reply keyboards are not echoed.
    return markup if markup and "inline_keyboard" in markup else None


def _set_optional(target: dict[str, Any], key: str, value: Any) -> None:
    if value:
        target[key] = value
    else:
        target.pop(key, None)


class BotApi:
    def __init__(self, state: State) -> None:
        self.state = state

    def call(self, method: str, params: dict[str, Any]) -> Any:
        handler = _HANDLERS.get(method.lower())
        if handler is None:
            raise not_found_method()
        with self.state.changed:
            result = handler(self, params)
            self.state.changed.notify_all()
        return copy.deepcopy(result)

    # -- shared pieces -----------------------------------------------------

    @property
    def sender(self) -> dict[str, Any]:
        bot = self.state.bot_user
        return {key: bot[key] for key in ("id", "is_bot", "first_name", "username")}

    def chat(self, params: dict[str, Any]) -> dict[str, Any]:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        found: dict[str, Any] | None
        try:
            found = self.state.chats.get(int(raw))
        except (TypeError, ValueError):
            username = str(raw).lstrip("@").lower()
            found = next(
                (c for c in self.state.chats.values() if str(c.get("username", "")).lower() == username),
                None,
            )
        if found is None:
            raise bad_request("chat not found")
        if found["id"] in self.state.blocked_chats:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return found

    def text(self, params: dict[str, Any], name: str, entities: str, errors: TextErrors) -> RenderedText:
        return render_text(
            get_str(params, name),
            get_str(params, "parse_mode"),
            get_json(params, entities),
            errors,
            strict_html=self.state.strict_html,
        )

    def markup(self, params: dict[str, Any]) -> dict[str, Any] | None:
        markup = get_json(params, "reply_markup", error="can't parse reply keyboard markup JSON object")
        return validate_reply_markup(markup)

    def reply_target(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any] | None:
        reply = get_json(params, "reply_parameters") or {}
        message_id = reply.get("message_id") if isinstance(reply, dict) else None
        message_id = message_id or get_int(params, "reply_to_message_id")
        if not message_id:
            return None
        allow_missing = bool(reply.get("allow_sending_without_reply")) or get_bool(
            params, "allow_sending_without_reply"
        )
        target = self.state.message(int(reply.get("chat_id", chat_id)), int(message_id))
        if target is None or target.deleted:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        replied = copy.deepcopy(target.api)
        replied.pop("reply_to_message", None)  # Telegram nests only one level
        return replied

    def new_message(self, chat: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self.state.new_message_id(chat["id"]),
            "from": self.sender,
            "chat": copy.deepcopy(chat),
            "date": int(time.time()),
        }
        replied = self.reply_target(chat["id"], params)
        if replied is not None:
            message["reply_to_message"] = replied
        return message

    def editable(self, params: dict[str, Any]) -> MessageRecord:
        inline_id = get_str(params, "inline_message_id")
        if inline_id:
            record = self.state.inline_messages.get(inline_id)
            if record is None:
                raise bad_request("MESSAGE_ID_INVALID")
            return record
        if not params.get("chat_id") or not params.get("message_id"):
            raise bad_request("message identifier is not specified")
        chat = self.chat(params)
        record = self.state.message(chat["id"], get_int(params, "message_id") or 0)
        if record is None or record.deleted:
            raise bad_request("message to edit not found")
        if not record.from_bot:
            raise bad_request("message can't be edited")
        return record

    def apply_edit(
        self,
        record: MessageRecord,
        fields: dict[str, Any],
        markup: dict[str, Any] | None,
        text: RenderedText | None,
    ) -> Any:
        """Replace the editable fields, refusing an edit that changes nothing."""
        updated = copy.deepcopy(record.api)
        for key, value in fields.items():
            _set_optional(updated, key, value)
        # Omitting reply_markup in an edit removes the inline keyboard, as on Telegram.
        _set_optional(updated, "reply_markup", _inline_markup(markup))
        editable = ("text", "entities", "caption", "caption_entities", "reply_markup")
        if all(updated.get(k) == record.api.get(k) for k in editable):
            raise bad_request(NOT_MODIFIED)
        record.history.append(record.version())
        updated["edit_date"] = int(time.time())
        record.api = updated
        record.markup = markup
        if text is not None:
            record.raw_text, record.parse_mode = text.raw, text.parse_mode
        return True if record.inline_message_id else record.api

    def media(self, params: dict[str, Any], kind: str) -> StoredFile:
        value = params.get(kind)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value[len("attach://") :])
        if value is None or value == "":
            raise bad_request(f"there is no {kind} in the request")
        if isinstance(value, UploadedFile):
            return self.state.store_file(value.data, kind, value.file_name, value.mime_type)
        stored = self.state.files.get(str(value))
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return stored

    def stored_text(self, kind: str, params: dict[str, Any], value: str | None = None) -> Any:
        language = validate_language_code(get_str(params, "language_code"))
        key = (kind, language)
        if value is None:
            return {kind: self.state.descriptions.get(key, "")}
        if len(value) > _TEXT_LIMITS[kind]:
            raise bad_request(f"{kind} is too long")
        self.state.descriptions[key] = value
        return True


# -- identity and webhooks ---------------------------------------------------


@handles("getMe")
def get_me(api: BotApi, params: dict[str, Any]) -> Any:
    return api.state.bot_user


@handles("logOut", "close")
def log_out(api: BotApi, params: dict[str, Any]) -> Any:
    return True


@handles("setWebhook")
def set_webhook(api: BotApi, params: dict[str, Any]) -> Any:
    url = get_str(params, "url") or ""
    # Real Telegram wants HTTPS on ports 443/80/88/8443; local tests cannot do TLS.
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = get_str(params, "secret_token")
    if secret is not None and not _SECRET_TOKEN.match(secret):
        raise bad_request("secret token contains unallowed characters")
    if get_bool(params, "drop_pending_updates"):
        api.state.updates.clear()
    api.state.set_allowed_updates(get_json(params, "allowed_updates"))
    api.state.webhook = {"url": url, "secret_token": secret}
    return True


@handles("deleteWebhook")
def delete_webhook(api: BotApi, params: dict[str, Any]) -> Any:
    if get_bool(params, "drop_pending_updates"):
        api.state.updates.clear()
    api.state.webhook = {"url": "", "secret_token": None}
    return True


@handles("getWebhookInfo")
def get_webhook_info(api: BotApi, params: dict[str, Any]) -> Any:
    return {
        "url": api.state.webhook["url"],
        "has_custom_certificate": False,
        "pending_update_count": len(api.state.updates),
    }


# -- messages ----------------------------------------------------------------


@handles("sendMessage")
def send_message(api: BotApi, params: dict[str, Any]) -> Any:
    chat = api.chat(params)
    text = api.text(params, "text", "entities", MESSAGE_TEXT)
    markup = api.markup(params)
    message = api.new_message(chat, params)
    message["text"] = text.text
    _set_optional(message, "entities", text.entities)
    _set_optional(message, "reply_markup", _inline_markup(markup))
    record = MessageRecord(
        message,
        from_bot=True,
        method="sendMessage",
        raw_text=text.raw,
        parse_mode=text.parse_mode,
        markup=markup,
    )
    api.state.add_message(record)
    return message


def _send_media(api: BotApi, params: dict[str, Any], kind: str, method: str) -> Any:
    chat = api.chat(params)
    caption = api.text(params, "caption", "caption_entities", CAPTION_TEXT)
    markup = api.markup(params)
    stored = api.media(params, kind)
    message = api.new_message(chat, params)
    described = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
    }
    if kind == "photo":
        message["photo"] = [{**described, "width": 800, "height": 600}]
    else:
        message[kind] = {**described, "file_name": stored.file_name, "mime_type": stored.mime_type}
    _set_optional(message, "caption", caption.text)
    _set_optional(message, "caption_entities", caption.entities)
    _set_optional(message, "reply_markup", _inline_markup(markup))
    record = MessageRecord(
        message,
        from_bot=True,
        method=method,
        raw_text=caption.raw or None,
        parse_mode=caption.parse_mode,
        file=stored,
        markup=markup,
    )
    api.state.add_message(record)
    return message


@handles("sendDocument")
def send_document(api: BotApi, params: dict[str, Any]) -> Any:
    return _send_media(api, params, "document", "sendDocument")


@handles("sendPhoto")
def send_photo(api: BotApi, params: dict[str, Any]) -> Any:
    return _send_media(api, params, "photo", "sendPhoto")


@handles("editMessageText")
def edit_message_text(api: BotApi, params: dict[str, Any]) -> Any:
    record = api.editable(params)
    if "text" not in record.api:
        raise bad_request("there is no text in the message to edit")
    text = api.text(params, "text", "entities", MESSAGE_TEXT)
    return api.apply_edit(record, {"text": text.text, "entities": text.entities}, api.markup(params), text)


@handles("editMessageCaption")
def edit_message_caption(api: BotApi, params: dict[str, Any]) -> Any:
    record = api.editable(params)
    if "text" in record.api:
        raise bad_request("there is no caption in the message to edit")
    caption = api.text(params, "caption", "caption_entities", CAPTION_TEXT)
    fields = {"caption": caption.text, "caption_entities": caption.entities}
    return api.apply_edit(record, fields, api.markup(params), caption)


@handles("editMessageReplyMarkup")
def edit_message_reply_markup(api: BotApi, params: dict[str, Any]) -> Any:
    record = api.editable(params)
    return api.apply_edit(record, {}, api.markup(params), None)


@handles("deleteMessage")
def delete_message(api: BotApi, params: dict[str, Any]) -> Any:
    chat = api.chat(params)
    record = api.state.message(chat["id"], get_int(params, "message_id", required=True) or 0)
    if record is None or record.deleted:
        raise bad_request("message to delete not found")
    if not record.from_bot and chat["type"] != "private":
        raise bad_request("message can't be deleted")  # the bot is no admin here
    record.deleted = True
    return True


@handles("sendChatAction")
def send_chat_action(api: BotApi, params: dict[str, Any]) -> Any:
    api.chat(params)
    if get_str(params, "action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


# -- queries -----------------------------------------------------------------


def _take_query(api: BotApi, known: dict[str, dict[str, Any]], query_id: str | None) -> None:
    # A query can be answered once; an unknown or answered id gets the same error.
    if not query_id or query_id not in known or query_id in api.state.answered_queries:
        raise bad_request(QUERY_EXPIRED)
    api.state.answered_queries.add(query_id)


@handles("answerCallbackQuery")
def answer_callback_query(api: BotApi, params: dict[str, Any]) -> Any:
    query_id = get_str(params, "callback_query_id")
    _take_query(api, api.state.callback_queries, query_id)
    api.state.callback_answers.append(
        {
            "callback_query_id": query_id,
            "text": get_str(params, "text"),
            "show_alert": get_bool(params, "show_alert"),
            "url": get_str(params, "url"),
            "cache_time": get_int(params, "cache_time"),
        }
    )
    return True


@handles("answerInlineQuery")
def answer_inline_query(api: BotApi, params: dict[str, Any]) -> Any:
    query_id = get_str(params, "inline_query_id")
    results = validate_inline_results(
        get_json(params, "results", error="can't parse inline query results JSON object"),
        strict_html=api.state.strict_html,
    )
    _take_query(api, api.state.inline_queries, query_id)
    api.state.inline_answers.append(
        {
            "inline_query_id": query_id,
            "results": results,
            "cache_time": get_int(params, "cache_time"),
            "is_personal": get_bool(params, "is_personal"),
            "next_offset": get_str(params, "next_offset"),
            "button": get_json(params, "button"),
        }
    )
    return True


# -- files -------------------------------------------------------------------


@handles("getFile")
def get_file(api: BotApi, params: dict[str, Any]) -> Any:
    stored = api.state.files.get(get_str(params, "file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.data) > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return stored.api()


# -- commands and profile ----------------------------------------------------


def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = get_json(params, "scope", error="can't parse BotCommandScope JSON object")
    return scope_key(scope), validate_language_code(get_str(params, "language_code"))


@handles("setMyCommands")
def set_my_commands(api: BotApi, params: dict[str, Any]) -> Any:
    commands = validate_commands(get_json(params, "commands", error="can't parse commands JSON object"))
    api.state.commands[_commands_key(params)] = commands
    return True


@handles("getMyCommands")
def get_my_commands(api: BotApi, params: dict[str, Any]) -> Any:
    return api.state.commands.get(_commands_key(params), [])


@handles("deleteMyCommands")
def delete_my_commands(api: BotApi, params: dict[str, Any]) -> Any:
    api.state.commands.pop(_commands_key(params), None)
    return True


@handles("setMyDescription")
def set_my_description(api: BotApi, params: dict[str, Any]) -> Any:
    return api.stored_text("description", params, get_str(params, "description") or "")


@handles("getMyDescription")
def get_my_description(api: BotApi, params: dict[str, Any]) -> Any:
    return api.stored_text("description", params)


@handles("setMyShortDescription")
def set_my_short_description(api: BotApi, params: dict[str, Any]) -> Any:
    return api.stored_text("short_description", params, get_str(params, "short_description") or "")


@handles("getMyShortDescription")
def get_my_short_description(api: BotApi, params: dict[str, Any]) -> Any:
    return api.stored_text("short_description", params)


@handles("setMyName")
def set_my_name(api: BotApi, params: dict[str, Any]) -> Any:
    return api.stored_text("name", params, get_str(params, "name") or "")


@handles("getMyName")
def get_my_name(api: BotApi, params: dict[str, Any]) -> Any:
    return api.stored_text("name", params)


@handles("setChatMenuButton")
def set_chat_menu_button(api: BotApi, params: dict[str, Any]) -> Any:
    return True
