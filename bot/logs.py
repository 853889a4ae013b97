"""Logging for every entry point: readable, quiet libraries, and never the bot token."""

import logging
import sys
from typing import ClassVar

from bot.settings import Settings

# Libraries whose INFO lines say nothing to an operator (faiss's loader prints six at import).
QUIET_LIBRARIES = ("httpx", "httpcore", "sentence_transformers", "bm25s", "transformers", "urllib3", "faiss")
# PTB's webhook handler logs its 403s to this logger, at DEBUG.
WEBHOOK_LOGGER = "telegram.ext.Updater"


def configure_logging(level: str) -> None:
    """To stderr, at LOG_LEVEL (WARNING unless set): stdout is for the terminal chat and `ask`."""
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    for noisy in QUIET_LIBRARIES:
        logging.getLogger(noisy).setLevel(logging.WARNING)


_TRACEBACKS = logging.Formatter()


class RedactSecrets(logging.Filter):
    """Replace the token (and its secret part) in every record, tracebacks included:
    PTB's InvalidToken says "The token `<token>` was rejected by the server."."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed call; logging reports it when formatting
            return True
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class QuietAbortedStart(logging.Filter):
    """PTB logs an aborted bootstrap (bad token, unreachable API) with a traceback, then raises;
    run_bot reports the same failure in one clear line, so PTB's report is kept for DEBUG only."""

    def filter(self, record: logging.LogRecord) -> bool:
        aborted = (
            record.name == "telegram.ext"
            and record.levelno >= logging.ERROR
            and isinstance(record.args, tuple)
            and bool(record.args)
            and str(record.args[0]).startswith("Network Retry Loop")
        )
        return not aborted or logging.getLogger().isEnabledFor(logging.DEBUG)


class ForgedWebhookRequests(logging.Filter):
    """PTB rejects a webhook request without the right X-Telegram-Bot-Api-Secret-Token (403) and
    notes it at DEBUG, the wrong secret included. A forged update is an operator's business: the
    note becomes a WARNING without the secret or the request's body. The logger's other records
    pass as the root logger's level says."""

    REJECTIONS: ClassVar[dict[str, str]] = {
        "Request did not include the secret token": "no secret token header",
        "Request had the wrong secret token": "a wrong secret token",
    }

    def filter(self, record: logging.LogRecord) -> bool:
        for start, what in self.REJECTIONS.items():
            if str(record.msg).startswith(start):
                record.msg, record.args = "Rejected a webhook request with %s (403); nothing done", (what,)
                record.levelno, record.levelname = logging.WARNING, "WARNING"
                return True
        return logging.getLogger().isEnabledFor(record.levelno)  # as if the logger had no level of its own


def watch_webhook_rejections() -> None:
    webhook = logging.getLogger(WEBHOOK_LOGGER)
    if not any(isinstance(f, ForgedWebhookRequests) for f in webhook.filters):
        webhook.addFilter(ForgedWebhookRequests())
    webhook.setLevel(logging.DEBUG)  # so that its rejection notes are made at all; the filter sorts them


def install_log_filters(settings: Settings) -> None:
    """On the handlers, so records of every logger (PTB's, httpx's) pass through them."""
    secrets: list[str] = []
    if settings.telegram_bot_token is not None:
        token = settings.telegram_bot_token.get_secret_value()
        secrets += [token, token.partition(":")[2]]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    for handler in logging.getLogger().handlers:
        handler.addFilter(QuietAbortedStart())
        handler.addFilter(RedactSecrets(secrets))
