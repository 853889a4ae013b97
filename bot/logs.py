"""Logging for every entry point: readable, quiet libraries, and never the bot token."""

import logging

from bot.settings import Settings


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    for noisy in ("httpx", "httpcore", "sentence_transformers", "bm25s", "transformers", "urllib3"):
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
        except Exception:  # a malformed call; logging reports it when formatting
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
