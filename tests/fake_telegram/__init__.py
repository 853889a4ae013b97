"""A local Telegram Bot API server for end-to-end tests of the bot.

It answers python-telegram-bot like api.telegram.org does where it matters:
long-polling getUpdates, full Message objects, and Telegram's refusals
(HTML it cannot parse, texts over 4096 UTF-16 units, callback_data over 64
bytes, edits that change nothing, unknown chats, ...).  See FakeTelegram.
"""

from .fake import FakeTelegram
from .html_check import EntityParseError, ParsedText, parse_html, utf16_len
from .observers import WaitTimeout

__all__ = ["EntityParseError", "FakeTelegram", "ParsedText", "WaitTimeout", "parse_html", "utf16_len"]
