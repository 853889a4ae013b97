"""Shared fixtures: the real embedding model (loaded once) and isolated index settings."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from index.e5_model import BUNDLED_MODEL_NAME
from index.settings import IndexSettings

if TYPE_CHECKING:
    from bot.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SEED_ID = "000_5e52b92a9a26778a"
# The repo's model cache: converted once per machine (~5 s), then reused by every run.
MODEL_CACHE = REPO / "var" / "models"


@pytest.fixture(scope="session")
def e5_dir() -> Path:
    """The repo's converted multilingual-e5-small folder (tokenizer, weights), made once per machine."""
    from index.e5_model import ensure_e5_model

    return ensure_e5_model(MODEL_CACHE)


@pytest.fixture(scope="session")
def embedder():
    """The bundled multilingual-e5-small, as the product loads it; shared by the session."""
    from index.embedder import load_embedder

    return load_embedder(IndexSettings(model_cache_dir=MODEL_CACHE, embedding_model=BUNDLED_MODEL_NAME))


def make_settings(root: Path) -> IndexSettings:
    """Settings with every field given, so neither `.env` nor the environment leaks in."""
    return IndexSettings(
        seeds_dir=root / "seeds",
        index_dir=root / "index",
        model_cache_dir=MODEL_CACHE,
        embedding_model=BUNDLED_MODEL_NAME,
        embedding_batch_size=32,
    )


def copy_seed(seeds_dir: Path) -> None:
    seeds_dir.mkdir(parents=True, exist_ok=True)
    for name in (f"{SEED_ID}.txt", f"{SEED_ID}.meta.json"):
        shutil.copy(SEEDS / name, seeds_dir / name)


def seeded_bot_settings(root: Path) -> Settings:
    """The bot's settings over a copy of seeds/ under `root`, every field that matters given, so
    neither `.env` nor the environment leaks in; no index yet."""
    from bot.settings import Settings

    shutil.copytree(SEEDS, root / "seeds")
    return Settings(
        _env_file=None,
        seeds_dir=root / "seeds",
        index_dir=root / "index",
        model_cache_dir=MODEL_CACHE,
        embedding_model=BUNDLED_MODEL_NAME,
        telegram_bot_token=None,
    )


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    """Isolated settings: a tmp seeds folder holding the seed article and its metadata, no index."""
    made = make_settings(tmp_path)
    copy_seed(made.seeds_dir)
    return made
