"""The one settings class of the product: the index's settings plus Telegram's."""

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from index.settings import IndexSettings

TELEGRAM_API = "https://api.telegram.org/bot"


class Settings(IndexSettings):
    """Read from the environment and `.env`; every field is documented in `.env.example`."""

    telegram_bot_token: SecretStr | None = Field(None, description="From @BotFather; unset = terminal chat.")
    telegram_api_base_url: str = Field(TELEGRAM_API, pattern=r"^https?://\S+$")
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(frozenset(), description="Comma-separated user ids.")
    webhook_url: str | None = Field(None, pattern=r"^https://\S+$", description="Public URL; unset = polling.")
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(8443, ge=1, le=65535)
    telegram_max_messages_per_second: float = Field(
        30, gt=0, description="All requests to the Bot API per second; Telegram allows about 30."
    )
    index_poll_seconds: float = Field(2.0, gt=0, description="How often to look for a rebuilt index.")
    max_question_chars: int = Field(500, ge=10, le=4000)
    lexicon_dir: Path = Field(Path("var/lexicon"), description="Debian's mythes-id and dict-freedict-eng-ind, unpacked.")
    log_level: str = Field("INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            if not all(p.lstrip("-").isdigit() for p in parts):
                raise ValueError("must be Telegram user ids (numbers) separated by commas")
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _without_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")
