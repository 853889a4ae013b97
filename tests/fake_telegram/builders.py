"""Bot API objects (User, Chat, entities) as Telegram serialises them."""

from __future__ import annotations

import re
from typing import Any

from .html_check import utf16_len

# What a Telegram client marks in a user's text.  Commands count only at the
# start or after whitespace; mentions need a 5-32 character username.
_AUTO_ENTITIES = (
    ("bot_command", re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")),
    ("mention", re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{5,32}")),
    ("url", re.compile(r"https?://[^\s<>\"]+")),
)
GROUP_TYPES = frozenset({"group", "supergroup"})


def user(
    user_id: int, first_name: str, username: str | None = None, language_code: str | None = "en"
) -> dict[str, Any]:
    result: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        result["username"] = username
    if language_code:
        result["language_code"] = language_code
    return result


def chat(
    chat_id: int, chat_type: str, *, sender: dict[str, Any] | None = None, title: str | None = None
) -> dict[str, Any]:
    if chat_type == "private":
        sender = sender or {}
        result = {"id": chat_id, "type": "private", "first_name": sender.get("first_name", "Tester")}
        if sender.get("username"):
            result["username"] = sender["username"]
        return result
    return {"id": chat_id, "type": chat_type, "title": title or "Runding test group"}


def text_entities(text: str) -> list[dict[str, Any]]:
    """bot_command, mention and url entities, with UTF-16 offsets."""
    found: list[dict[str, Any]] = []
    for kind, pattern in _AUTO_ENTITIES:
        for match in pattern.finditer(text):
            found.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group()),
                }
            )
    found.sort(key=lambda e: int(e["offset"]))
    return found


def entity_text(text: str, entity: dict[str, Any]) -> str:
    """The part of ``text`` an entity covers (offsets are UTF-16)."""
    encoded = text.encode("utf-16-le")
    start, end = entity["offset"] * 2, (entity["offset"] + entity["length"]) * 2
    return encoded[start:end].decode("utf-16-le")


def reaches_bot(message: dict[str, Any], bot_username: str, privacy_mode: bool) -> bool:
    """Whether Telegram delivers a group message to a bot in privacy mode.

    BotFather: "your bot will only receive messages that either start with the
    '/' symbol or mention the bot by username"; replies to the bot count too.
    """
    if message["chat"]["type"] not in GROUP_TYPES or not privacy_mode:
        return True
    replied = message.get("reply_to_message") or {}
    if (replied.get("from") or {}).get("username") == bot_username:
        return True
    text = message.get("text") or message.get("caption") or ""
    entities = message.get("entities") or message.get("caption_entities") or []
    for entity in entities:
        covered = entity_text(text, entity)
        if entity["type"] == "bot_command" and entity["offset"] == 0:
            _, _, addressee = covered.partition("@")
            if not addressee or addressee.lower() == bot_username.lower():
                return True
        if entity["type"] == "mention" and covered[1:].lower() == bot_username.lower():
            return True
    return False
