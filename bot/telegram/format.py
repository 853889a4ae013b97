"""Telegram-specific message pieces: the context button, the context view, splitting long HTML."""

import html
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.answers.answer import Answer
from bot.answers.question import Language
from index.models import Paragraph

TELEGRAM_LIMIT = 4096
CONTEXT_PREFIX = "ctx"
_TAG = re.compile(r"</?[a-z][^>]*>")
_WORST_ESCAPE_GROWTH = 5  # "&" becomes "&amp;"
_ARTICLE_KEY_CHARS = 12  # an article's sha256 prefix: short enough for 64-byte callback_data
CONTEXT_BUTTON = {Language.id: "Tampilkan konteks", Language.en: "Show context"}
CONTEXT_HEADING = {Language.id: "Konteks, paragraf {n}", Language.en: "Context, paragraph {n}"}


def context_keyboard(answer: Answer, article_hashes: dict[str, str]) -> InlineKeyboardMarkup | None:
    """A 'show context' button for the first quote of a found answer."""
    if not answer.answered or not answer.quotes:  # a timeline links each of its articles instead
        return None
    quote = answer.quotes[0]
    digest = article_hashes.get(quote.article, "")[:_ARTICLE_KEY_CHARS]
    data = f"{CONTEXT_PREFIX}:{digest}:{quote.paragraph}:{answer.reply_language.value}"
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(CONTEXT_BUTTON[answer.reply_language], callback_data=data)]]
    )


def parse_context_data(data: str) -> tuple[str, int, Language] | None:
    """(article hash prefix, paragraph, language) from a button, or None if it is not ours."""
    parts = data.split(":")
    if len(parts) != 4 or parts[0] != CONTEXT_PREFIX or not parts[2].isdigit():
        return None
    language = Language.en if parts[3] == Language.en.value else Language.id
    return parts[1], int(parts[2]), language


def article_for_key(key: str, article_hashes: dict[str, str]) -> str | None:
    return next((a for a, digest in article_hashes.items() if key and digest.startswith(key)), None)


def context_html(original_html: str, paragraph: Paragraph, quoted: list[str], language: Language) -> str:
    """The answer followed by its whole paragraph, quoted sentences in bold, within Telegram's limit."""
    heading = f"<b>{CONTEXT_HEADING[language].format(n=paragraph.number)}</b>"
    if paragraph.heading:
        heading += f" — <i>{html.escape(paragraph.heading, quote=False)}</i>"
    room = TELEGRAM_LIMIT - len(original_html) - len(heading) - 40
    body = _emphasize(paragraph.text[: max(room, 200)], quoted)
    text = f"{original_html}\n\n{heading}\n<blockquote>{body}</blockquote>"
    return text if len(text) <= TELEGRAM_LIMIT else f"{heading}\n<blockquote>{body}</blockquote>"


def _emphasize(text: str, quoted: list[str]) -> str:
    escaped = html.escape(text, quote=False)
    for sentence in quoted:
        target = html.escape(sentence, quote=False)
        escaped = escaped.replace(target, f"<b>{target}</b>", 1)
    return escaped


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split at line breaks (our templates never open a tag across lines), then at sentences."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _fit_line(line, limit):
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) > limit:
                chunks.append(current)
                candidate = piece
            current = candidate
    if current.strip():
        chunks.append(current)
    return chunks or [text[:limit]]


def _fit_line(line: str, limit: int) -> list[str]:
    if len(line) <= limit:
        return [line]
    # A line this long is one long quote: cut the plain text at sentence ends, then escape
    # each piece, so no tag or entity is ever cut in half.
    plain = html.unescape(_TAG.sub("", line))
    pieces: list[str] = []
    current = ""
    for sentence in _sentences_within(plain, limit // _WORST_ESCAPE_GROWTH):
        if len(current) + len(sentence) + 1 > limit // _WORST_ESCAPE_GROWTH:
            pieces.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    pieces.append(current)
    return [html.escape(p, quote=False) for p in pieces if p]


def _sentences_within(text: str, size: int) -> list[str]:
    parts = []
    for sentence in text.replace(". ", ".\u0000").split("\u0000"):
        parts += [sentence[i : i + size] for i in range(0, len(sentence), size)]
    return parts
