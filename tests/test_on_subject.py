"""Whether a feed's article is about the bot's subject: a keyword, else closer to the indexed
articles than to everyday background sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.question import QuestionAnalyzer
from bot.answers.service import AnswerService
from bot.settings import Settings
from bot.telegram.library import on_subject
from index.adding import NewArticle
from index.build import build_index
from index.extract import extract_article
from index.models import ArticleMeta
from tests.conftest import seeded_bot_settings

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder) -> AnswerService:
    root = tmp_path_factory.mktemp("subject")
    settings = seeded_bot_settings(root)
    build_index(settings, embedder)
    made = AnswerService(settings, embedder, QuestionAnalyzer())
    assert made.reload_if_changed()
    return made


def page(name: str) -> NewArticle:
    found = extract_article((REPO / "tests" / "pages" / name).read_text(encoding="utf-8"), "https://x.test/a")
    return NewArticle(text=found.text, meta=ArticleMeta(title=found.title))


@pytest.mark.parametrize("name", ["kabar_jenewa.html", "ledger_next_round.html", "damai_tanpa_meta.html"])
def test_reports_on_the_talks_are_on_subject_without_keywords(service: AnswerService, name: str) -> None:
    assert on_subject(service, page(name), keywords=(), min_margin=0.0)


def test_a_football_report_is_off_subject(service: AnswerService) -> None:
    assert not on_subject(
        service,
        page("olahraga.html"),
        keywords=Settings.model_fields["feed_keywords"].default,
        min_margin=0.0,
    )


def test_a_keyword_makes_an_article_on_subject(service: AnswerService) -> None:
    assert on_subject(service, page("olahraga.html"), keywords=("piala asia",), min_margin=0.5)
