"""The real answering service over a tmp copy of the repo's seeds, shared by the session.

The model comes from the `embedder` fixture of tests/conftest.py (loaded once per session).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answers.question import QuestionAnalyzer
from bot.answers.service import AnswerService
from bot.settings import Settings
from evaluation.corpus import corpus_settings
from index.build import build_index
from index.e5_model import BUNDLED_MODEL_NAME

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
ARTICLES = REPO / "tests" / "data" / "articles"
MODEL_CACHE = REPO / "var" / "models"
LEXICON = REPO / "var" / "lexicon"


@pytest.fixture(scope="session")
def answers_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tmp folder holding a copy of seeds/ and (once built) its index."""
    root = tmp_path_factory.mktemp("answers")
    shutil.copytree(SEEDS, root / "seeds")
    return root


@pytest.fixture(scope="session")
def answer_settings(answers_root: Path) -> Settings:
    """Every field that matters given, so neither `.env` nor the environment leaks in."""
    return Settings(
        _env_file=None,
        seeds_dir=answers_root / "seeds",
        index_dir=answers_root / "index",
        model_cache_dir=MODEL_CACHE,
        embedding_model=BUNDLED_MODEL_NAME,
        embedding_batch_size=32,
        telegram_bot_token=None,
        max_question_chars=500,
        lexicon_dir=LEXICON,
    )


@pytest.fixture(scope="session")
def service(answer_settings: Settings, embedder) -> AnswerService:
    """The service the bot and `python -m bot ask` use, over a freshly built index."""
    build_index(answer_settings, embedder)
    made = AnswerService(answer_settings, embedder, QuestionAnalyzer())
    assert made.reload_if_changed()
    assert made.answerer is not None
    return made


@pytest.fixture(scope="session")
def article_texts(answer_settings: Settings) -> dict[str, str]:
    """The articles' files as read from disk, by article id (the file's stem)."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(answer_settings.seeds_dir.glob("*.txt"))}


@pytest.fixture(scope="session")
def corpus_service(
    tmp_path_factory: pytest.TempPathFactory, answer_settings: Settings, embedder
) -> AnswerService:
    """The service over the seed and the later rounds in tests/data/articles (Geneva, the first
    exchange, Vienna, Doha), indexed together as `bot eval` indexes them."""
    eval_dir = tmp_path_factory.mktemp("eval")
    settings = corpus_settings(answer_settings.model_copy(update={"eval_dir": eval_dir}), [SEEDS, ARTICLES])
    build_index(settings, embedder)
    made = AnswerService(settings, embedder, QuestionAnalyzer())
    assert made.reload_if_changed()
    return made
