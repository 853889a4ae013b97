"""The one settings class of the product: the index's settings plus Telegram's."""

import logging
import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from bot.answers.verify import Check
from index.settings import IndexSettings

log = logging.getLogger(__name__)
# Checks the reader has learned to do itself; an older .env that names them still starts the bot.
RETIRED_CHECKS = frozenset({"negation"})  # since 2026-12-07 (docs/reader.md)

TELEGRAM_API = "https://api.telegram.org/bot"
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{32,256}")


class Settings(IndexSettings):
    """Read from the environment and `.env`; every field is documented in `.env.example`."""

    telegram_bot_token: SecretStr | None = Field(None, description="From @BotFather; unset = terminal chat.")
    telegram_api_base_url: str = Field(TELEGRAM_API, pattern=r"^https?://\S+$")
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        frozenset(), description="Comma-separated user ids."
    )
    webhook_url: str | None = Field(
        None, pattern=r"^https://\S+$", description="Public URL; unset = polling."
    )
    webhook_secret: SecretStr | None = Field(
        None, description="32-256 of A-Z a-z 0-9 _ -; unset = a new random one at each start."
    )
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(8443, ge=1, le=65535)
    telegram_max_messages_per_second: float = Field(
        30, gt=0, description="All requests to the Bot API per second; Telegram allows about 30."
    )
    telegram_timeout_seconds: float = Field(
        15,
        gt=0,
        description="How long a Bot API call may take to answer; after that a sent reply's fate is unknown.",
    )
    delivery_retry_seconds: float = Field(
        60, ge=0, description="How long a reply that Telegram failed to take is retried before giving up."
    )
    flood_notice_after: int = Field(
        3, ge=1, description="Questions one user may have waiting before the bot says it answers one by one."
    )
    index_poll_seconds: float = Field(2.0, gt=0, description="How often to look for a rebuilt index.")
    conversation_minutes: float = Field(
        10, gt=0, le=24 * 60, description="How long a conversation's last question is kept for follow-ups."
    )
    max_question_chars: int = Field(500, ge=10, le=4000)
    lexicon_dir: Path = Field(
        Path("var/lexicon"), description="Debian's mythes-id and dict-freedict-eng-ind, unpacked."
    )
    reader_checks: Annotated[tuple[Check, ...], NoDecode] = Field(
        tuple(Check),
        description="Checks a span the reader found must pass before it is stated (comma-separated).",
    )
    reader_min_margin: float = Field(
        0.0, ge=-20, le=20, description="The reader's margin over 'no answer' above which a span is stated."
    )
    log_level: str = Field("WARNING", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")
    feeds_file: Path = Field(Path("var/feeds.json"), description="The followed feeds and the entries seen.")
    feed_poll_seconds: float = Field(900, ge=0, description="How often feeds are read; 0 = never.")
    feed_max_entries_per_poll: int = Field(
        10, ge=1, le=200, description="New entries fetched per feed and poll."
    )
    feed_keywords: Annotated[tuple[str, ...], NoDecode] = Field(
        (
            "perundingan",
            "negosiasi",
            "gencatan senjata",
            "perdamaian",
            "perjanjian damai",
            "pembicaraan damai",
            "peace talks",
            "negotiation",
            "negotiations",
            "ceasefire",
            "truce",
            "peace deal",
        ),
        description="Comma-separated; an entry whose page contains one is on the bot's subject.",
    )
    feed_min_margin: float = Field(
        0.0,
        ge=-1,
        le=1,
        description="Else on subject when its lead sentences are closer to the indexed articles than to "
        "everyday background sentences by this much (mean cosine difference).",
    )

    alerts_db: Path = Field(
        Path("var/alerts.sqlite3"), description="Subscriptions (/follow) and the outbox of alerts (SQLite)."
    )
    alerts_per_second: float = Field(
        25, gt=0, le=30, description="Alerts sent per second at most, evenly spaced (Telegram: about 30)."
    )
    alerts_retry_seconds: float = Field(
        60, gt=0, description="How long alerts Telegram did not take wait before they are tried again."
    )

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            if not all(p.lstrip("-").isdigit() for p in parts):
                raise ValueError("must be Telegram user ids (numbers) separated by commas")
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("feed_keywords", mode="before")
    @classmethod
    def _split_words(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip().lower() for part in value.split(",") if part.strip())
        return value

    @field_validator("reader_checks", mode="before")
    @classmethod
    def _current_checks(cls, value: object) -> object:
        value = cls._split_words(value)
        if isinstance(value, tuple | list) and RETIRED_CHECKS & set(value):
            log.warning(
                "READER_CHECKS: %s retired (the reader does it itself)",
                ", ".join(RETIRED_CHECKS & set(value)),
            )
            return tuple(v for v in value if v not in RETIRED_CHECKS)
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _strong_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram accepts 1-256 of these characters; fewer than 32 can be guessed or brute-forced.
        if value is not None and not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError(
                "must be 32 to 256 characters of A-Z, a-z, 0-9, _ and - (or unset: a random one)"
            )
        return value

    @field_validator("telegram_bot_token", "webhook_secret", mode="before")
    @classmethod
    def _empty_secret_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _without_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")
