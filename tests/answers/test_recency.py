"""Answers over several dated articles: sources on every quote, the newer article first, the
latest or next preferring the newest article that answers, an older article still answering."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.answers.question import QuestionAnalyzer
from bot.answers.recency import asks_latest, display_date, parse_date, speaks_of_future, speaks_of_next
from bot.answers.render import render_html
from bot.answers.service import AnswerService
from index.adding import NewArticle, store_article
from index.build import build_index
from index.extract import extract_article
from index.models import ArticleInfo, ArticleMeta, Hit, Sentence
from tests.conftest import seeded_bot_settings

REPO = Path(__file__).resolve().parents[2]
PAGES = REPO / "tests" / "pages"
JENEWA_URL = "https://www.kabarnusantara.test/internasional/2027/11/19/putaran-baru-perundingan-jenewa"
# A later report that moves the next round: it must win "berikutnya" over the 19 November one.
POSTPONED = (
    "Swiss mengumumkan bahwa putaran perundingan berikutnya diundur dan akan berlangsung di Jenewa "
    "pada 10 Desember 2027.\nPenundaan itu diminta oleh delegasi Ukraina untuk persiapan teknis."
)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder) -> AnswerService:
    root = tmp_path_factory.mktemp("recency")
    settings = seeded_bot_settings(root)
    page = extract_article((PAGES / "kabar_jenewa.html").read_text(encoding="utf-8"), JENEWA_URL)
    store_article(
        NewArticle(
            text=page.text,
            meta=ArticleMeta(title=page.title, outlet=page.outlet, date=page.date, url=page.url, via="link"),
        ),
        settings,
    )
    store_article(
        NewArticle(
            text=POSTPONED,
            meta=ArticleMeta(
                title="Perundingan Jenewa diundur",
                outlet="Warta Timur",
                date="2027-11-30",
                via="forward",
                added_at=datetime.now(UTC),
            ),
        ),
        settings,
    )
    build_index(settings, embedder)
    made = AnswerService(settings, embedder, QuestionAnalyzer())
    assert made.reload_if_changed()
    return made


def test_a_quote_names_its_outlet_and_date_and_links_to_its_article(service: AnswerService) -> None:
    answer = service.answer("Berapa lama gencatan senjata di sekitar Zaporizhzhia?")
    assert answer.answered and answer.quotes[0].outlet == "Kabar Nusantara"
    rendered = render_html(answer)
    assert (
        f'<a href="{JENEWA_URL}">Putaran Baru Perundingan Damai Rusia-Ukraina Digelar di Jenewa</a>'
        in rendered
    )
    assert "Kabar Nusantara, 19 November 2027" in rendered


def test_asking_for_the_next_round_quotes_the_newest_article_first(service: AnswerService) -> None:
    answer = service.answer("Kapan putaran perundingan berikutnya?")
    assert answer.answered
    assert (
        answer.quotes[0].title == "Perundingan Jenewa diundur" and "10 Desember 2027" in answer.quotes[0].text
    )
    assert "10 Desember 2027" in (answer.fact or "")


def test_the_older_article_that_answers_too_follows_with_its_date(service: AnswerService) -> None:
    answer = service.answer("Kapan putaran perundingan berikutnya?")
    older = [quote for quote in answer.quotes if quote.outlet == "Kabar Nusantara"]
    assert older and answer.quotes.index(older[0]) > 0
    assert "3 Desember 2027" in older[0].text
    html = render_html(answer)
    assert html.index("30 November 2027") < html.index("19 November 2027")


def test_an_event_only_the_older_article_covers_is_answered_from_it_dated(service: AnswerService) -> None:
    answer = service.answer("Kelompok kerja apa yang diusulkan Rusia?")
    assert answer.answered and answer.quotes[0].date == "23 Juli 2027"
    assert "23 Juli 2027" in render_html(answer)


def sentence_hit(article: str, score: float, sentence_id: int) -> Hit:
    sentence = Sentence(
        id=sentence_id, article_id=article, title=article, paragraph=1, start=0, end=1, text=article
    )
    return Hit(sentence=sentence, score=score)


CATALOG = [
    ArticleInfo(id="old", title="old", date="23 Juli 2027", sentence_count=1),
    ArticleInfo(id="new", title="new", date="2027-11-30", sentence_count=1),
]


@pytest.mark.parametrize(
    "question",
    [
        "Kapan putaran berikutnya?",
        "Apa kabar terbaru?",
        "Pertemuan terakhir di mana?",
        "When is the next round?",
        "What is the latest?",
    ],
)
def test_latest_and_next_questions_are_recognised(question: str) -> None:
    assert asks_latest(question)


def test_dates_as_written_and_iso_are_read_and_shown() -> None:
    assert parse_date("23 Juli 2027") == parse_date("2027-07-23")
    assert (
        display_date("2027-12-03", "id") == "3 Desember 2027"
        and display_date("2027-12-03", "en") == "3 December 2027"
    )
    assert (
        display_date("23 Juli 2027", "en") == "23 July 2027"
    )  # an English reply dates its sources in English
    assert display_date("kemarin sore?", "en") == "kemarin sore?"  # no date: as written


def test_the_next_round_is_announced_in_the_future_tense() -> None:
    assert speaks_of_future("Putaran berikutnya dijadwalkan di Istanbul pada September 2028")
    assert speaks_of_future("The seventh round will be held in Geneva on 10 July 2028")
    assert not speaks_of_future("Perundingan digelar di Palais des Nations selama tiga hari.")


def test_a_reported_future_is_the_future_tense_too() -> None:
    assert speaks_of_future("Officials said the monitors would arrive in Kherson in May.")
    assert not speaks_of_future("Officials said the monitors arrived in Kherson in May.")


def test_what_is_announced_for_the_next_round_is_told_apart() -> None:
    assert speaks_of_next("Putaran berikutnya dijadwalkan di Istanbul")
    assert not speaks_of_next("Putaran ketujuh berakhir di Jenewa")
