"""Timelines: which questions ask across rounds, the single question read in each article, and the
assembly of the facts found into entries, oldest first with undated articles last."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answers.answer import Answer, AnswerKind
from bot.answers.question import Language
from bot.answers.render import render_html, render_plain
from bot.answers.timeline import ArticleFact, asks_timeline, assemble, single_question, subject_question
from index.models import ArticleInfo

CATALOG = [
    ArticleInfo(
        id="vienna",
        title="Vienna talks",
        date="20 November 2027",
        url="https://e.example/v",
        sentence_count=3,
    ),
    ArticleInfo(id="istanbul", title="Istanbul <talks>", date="23 Juli 2027", sentence_count=3),
    ArticleInfo(id="note", title="Undated note", sentence_count=2),
]
DATES = {"vienna": date(2027, 11, 20), "istanbul": date(2027, 7, 23), "note": None}


def fact(article: str, text: str, score: float = 1.0) -> ArticleFact:
    sentence = f"They agreed on {text} today."
    start = sentence.index(text)
    return ArticleFact(
        article=article,
        fact=text,
        sentence=sentence,
        highlight=(start, start + len(text)),
        paragraph=1,
        score=score,
    )


@pytest.mark.parametrize(
    "question",
    [
        "Berapa tawanan yang ditukar di setiap putaran?",
        "How did the number of prisoners exchanged change?",
        "Di mana saja perundingan diadakan?",
        "Where were the talks held in each round?",
        "Kapan saja perundingan digelar?",
        "How many civilians were in each prisoner swap?",
        "Berapa warga sipil dalam setiap pertukaran tawanan?",
        "By when was each round's prisoner swap supposed to be done?",
    ],
)
def test_questions_across_rounds_ask_for_a_timeline(question: str) -> None:
    assert asks_timeline(question)


@pytest.mark.parametrize(
    "question",
    [
        "Berapa tawanan perang yang ditukar?",
        "Kelompok kerja apa saja yang diusulkan Rusia?",
        "How many prisoners of war were exchanged?",
        "When is the next round of talks?",
        "How many prisoners did each side release?",
    ],
)
def test_single_questions_and_lists_within_one_article_are_no_timeline(question: str) -> None:
    assert not asks_timeline(question)


@pytest.mark.parametrize(
    ("question", "single"),
    [
        ("Berapa tawanan yang ditukar di setiap putaran?", "Berapa tawanan yang ditukar?"),
        ("Di mana saja perundingan diadakan?", "Di mana perundingan diadakan?"),
        ("How did the number of prisoners exchanged change?", "How many prisoners exchanged?"),
        ("Where were the talks held in each round?", "Where were the talks held?"),
        # a recurring event stays the subject of the single question
        ("How many civilians were in each prisoner swap?", "How many civilians were in the prisoner swap?"),
        (
            "Berapa warga sipil dalam setiap pertukaran tawanan?",
            "Berapa warga sipil dalam pertukaran tawanan?",
        ),
        ("By when was each round's prisoner swap due?", "By when was the prisoner swap due?"),
    ],
)
def test_a_timeline_question_is_read_in_each_article_as_a_single_question(question: str, single: str) -> None:
    assert single_question(question) == single


def test_a_bare_subject_becomes_the_question_its_words_call_for() -> None:
    assert subject_question("tawanan", Language.id) == "Berapa tawanan?"
    assert subject_question("tempat perundingan", Language.id) == "Di mana perundingan diadakan?"
    assert subject_question("prisoners", Language.en) == "How many prisoners?"
    assert subject_question("Siapa yang memimpin delegasi Rusia?", Language.id) == (
        "Siapa yang memimpin delegasi Rusia?"
    )


def test_entries_run_oldest_to_newest_with_undated_articles_last() -> None:
    entries = assemble(
        [fact("note", "3.000 tawanan"), fact("vienna", "1,500 prisoners"), fact("istanbul", "1.200 tawanan")],
        CATALOG,
        DATES,
    )
    assert [e.article for e in entries] == ["istanbul", "vienna", "note"]
    assert entries[1].url == "https://e.example/v" and entries[1].date == "20 November 2027"


def test_an_article_gives_one_entry_its_best_fact() -> None:
    entries = assemble([fact("vienna", "300", score=0.5), fact("vienna", "1,500", score=4.0)], CATALOG, DATES)
    assert [(e.article, e.fact) for e in entries] == [("vienna", "1,500")]


def test_a_timeline_line_has_date_linked_title_and_fact_in_bold_and_escapes_html() -> None:
    entries = assemble([fact("vienna", "1,500 prisoners"), fact("istanbul", "1.200 & more")], CATALOG, DATES)
    answer = Answer(question="q", language=Language.id, kind=AnswerKind.TIMELINE, timeline=entries)
    rendered = render_html(answer)
    assert "23 Jul 2027 · Istanbul &lt;talks&gt; — <b>1.200 &amp; more</b>" in rendered
    assert '20 Nov 2027 · <a href="https://e.example/v">Vienna talks</a> — <b>1,500 prisoners</b>' in rendered
    assert rendered.index("23 Jul 2027") < rendered.index("20 Nov 2027")
    assert answer.answered


def test_a_timeline_without_entries_says_no_article_answers_the_question_it_names() -> None:
    answer = Answer(question="gencatan senjata", language=Language.en, kind=AnswerKind.TIMELINE)
    assert render_plain(answer) == "Sorry, none of the articles I have read answers “gencatan senjata”."
    assert not answer.answered
