"""Checks that real Telegram applies to what a bot sends, with its error texts.

Everything here raises :class:`ApiError`; the server turns it into the
``{"ok": false, "error_code": ..., "description": ...}`` answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .html_check import EntityParseError, ParsedText, parse_html, utf16_len

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
INLINE_RESULTS_LIMIT = 50

_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_BUTTON_URL = re.compile(r"^(https?|tg)://\S+$", re.IGNORECASE)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SCOPES = {
    "default": (),
    "all_private_chats": (),
    "all_group_chats": (),
    "all_chat_administrators": (),
    "chat": ("chat_id",),
    "chat_administrators": ("chat_id",),
    "chat_member": ("chat_id", "user_id"),
}
INLINE_RESULT_TYPES = frozenset(
    {
        "article",
        "photo",
        "gif",
        "mpeg4_gif",
        "video",
        "audio",
        "voice",
        "document",
        "location",
        "venue",
        "contact",
        "game",
        "sticker",
    }
)


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(message: str) -> ApiError:
    return ApiError(400, f"Bad Request: {message}")


@dataclass(frozen=True)
class TextErrors:
    """Which error texts a kind of text gets; they differ per method."""

    limit: int
    empty: str | None  # None: empty is allowed (captions)
    too_long: str


MESSAGE_TEXT = TextErrors(MESSAGE_LIMIT, "message text is empty", "message is too long")
CAPTION_TEXT = TextErrors(CAPTION_LIMIT, None, "message caption is too long")
INLINE_TEXT = TextErrors(MESSAGE_LIMIT, "MESSAGE_EMPTY", "MESSAGE_TOO_LONG")


@dataclass
class RenderedText:
    """A text as sent (``raw``) and as the user sees it (``text``, ``entities``)."""

    raw: str
    parse_mode: str | None
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def _trim(parsed: ParsedText) -> ParsedText:
    # Telegram strips surrounding whitespace before checking emptiness and length.
    stripped = parsed.text.strip()
    if stripped == parsed.text:
        return parsed
    lead = utf16_len(parsed.text[: len(parsed.text) - len(parsed.text.lstrip())])
    total = utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(0, entity["offset"] - lead)
        end = min(total, entity["offset"] + entity["length"] - lead)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(stripped, entities)


def render_text(
    raw: str | None,
    parse_mode: str | None,
    entities: list[dict[str, Any]] | None,
    errors: TextErrors,
    *,
    strict_html: bool = True,
) -> RenderedText:
    raw = raw or ""
    mode = (parse_mode or "").strip()
    if mode.lower() == "html":
        try:
            parsed = parse_html(raw, strict=strict_html)
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    elif mode.lower() in ("", "markdown", "markdownv2"):
        # Markdown is not checked by this fake; the project sends HTML.
        parsed = ParsedText(raw, list(entities or []))
    else:
        raise bad_request(f"unsupported parse_mode: {mode}")
    parsed = _trim(parsed)
    if not parsed.text and errors.empty is not None:
        raise bad_request(errors.empty)
    if utf16_len(parsed.text) > errors.limit:
        raise bad_request(errors.too_long)
    return RenderedText(raw, parse_mode or None, parsed.text, parsed.entities)


def validate_reply_markup(markup: Any) -> dict[str, Any] | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                validate_inline_button(button)
        return markup
    if any(key in markup for key in ("keyboard", "remove_keyboard", "force_reply")):
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def validate_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request('can\'t parse inline keyboard button: Field "text" must be of type String')
    actions = [key for key in _BUTTON_ACTIONS if key in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not _BUTTON_URL.match(str(button["url"])):
        raise bad_request("BUTTON_URL_INVALID")


def validate_commands(commands: Any) -> list[dict[str, str]]:
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    checked = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand JSON object")
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not _COMMAND.match(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": name, "description": description})
    return checked


def scope_key(scope: Any) -> str:
    """Canonical JSON of a BotCommandScope, used as a storage key."""
    scope = scope if scope is not None else {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    needed = _SCOPES[scope["type"]]
    if any(key not in scope for key in needed):
        raise bad_request("can't parse BotCommandScope JSON object")
    return json.dumps({"type": scope["type"], **{key: scope[key] for key in needed}}, sort_keys=True)


def validate_language_code(code: Any) -> str:
    code = code or ""
    if not isinstance(code, str) or (code and not re.fullmatch(r"[a-z]{2}", code)):
        raise bad_request("invalid language code specified")
    return code


def validate_inline_results(results: Any, *, strict_html: bool = True) -> list[dict[str, Any]]:
    if not isinstance(results, list):
        raise bad_request("can't parse inline query results JSON object")
    if len(results) > INLINE_RESULTS_LIMIT:
        raise bad_request("RESULTS_TOO_MUCH")
    seen: set[str] = set()
    for result in results:
        validate_inline_result(result, strict_html=strict_html)
        if result["id"] in seen:
            raise bad_request("RESULT_ID_DUPLICATE")
        seen.add(result["id"])
    return results


def validate_inline_result(result: Any, *, strict_html: bool) -> None:
    if not isinstance(result, dict) or result.get("type") not in INLINE_RESULT_TYPES:
        raise bad_request("can't parse InlineQueryResult JSON object")
    result_id = result.get("id")
    if not isinstance(result_id, str) or not 1 <= len(result_id.encode("utf-8")) <= 64:
        raise bad_request("RESULT_ID_INVALID")
    if result["type"] == "article":
        if not result.get("title"):
            raise bad_request("RESULT_TITLE_EMPTY")
        if "input_message_content" not in result:
            raise bad_request("can't parse InlineQueryResultArticle: input_message_content is required")
    content = result.get("input_message_content")
    if isinstance(content, dict) and "message_text" in content:
        render_text(
            content.get("message_text"),
            content.get("parse_mode"),
            content.get("entities"),
            INLINE_TEXT,
            strict_html=strict_html,
        )
    if "caption" in result:
        render_text(result["caption"], result.get("parse_mode"), None, CAPTION_TEXT, strict_html=strict_html)
    validate_reply_markup(result.get("reply_markup"))
