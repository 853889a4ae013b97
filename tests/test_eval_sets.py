"""The question sets are data the figures rest on: each line must say something checkable.

An answerable line's expected sentence must occur once in all the articles together (so sentence
R@1 has one meaning), and every accepted fact must lie in one of its expected sentences (so a
bolded fact can match it at all).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evaluation.questions import Category, EvalQuestion, load_questions
from index.articles import read_articles
from index.ingest import split_articles

DATA = Path(__file__).resolve().parent / "data"
REPO = DATA.parents[1]
FACT_SETS = [DATA / "facts_dev.jsonl", DATA / "facts_holdout.jsonl"]
SENTENCE_SETS = [DATA / "eval_questions.jsonl", DATA / "holdout_questions.jsonl"]


@pytest.fixture(scope="module")
def corpus():
    articles = read_articles(REPO / "seeds")[0] + read_articles(DATA / "articles")[0]
    return articles, split_articles(articles).sentences


def fact_questions() -> list[EvalQuestion]:
    return [q for path in FACT_SETS for q in load_questions(path)]


def answerable() -> list[EvalQuestion]:
    return [q for q in fact_questions() if q.category == Category.ANSWERABLE]


def test_the_test_articles_are_read_without_problems():
    articles, problems = read_articles(DATA / "articles")
    assert len(articles) >= 4 and problems == []
    assert {a.meta.language for a in articles} >= {"id", "en"}
    assert all(a.meta.title and a.meta.date and a.meta.source and a.meta.url for a in articles)


@pytest.mark.parametrize("question", answerable(), ids=lambda q: q.id)
def test_each_expected_sentence_occurs_once_in_the_articles_named(corpus, question):
    articles, sentences = corpus
    assert question.expected_sentences and question.facts
    for article_id, expected in zip(question.articles, question.expected_sentences, strict=True):
        holding = [s for s in sentences if expected in s.text]
        assert [s.article_id for s in holding] == [article_id], expected
        assert sum(a.text.count(expected) for a in articles) == 1, expected


@pytest.mark.parametrize("question", answerable(), ids=lambda q: q.id)
def test_each_accepted_fact_lies_in_an_expected_sentence(corpus, question):
    _, sentences = corpus
    texts = [s.text.lower() for s in sentences if any(e in s.text for e in question.expected_sentences)]
    for fact in question.facts:
        assert any(fact.lower() in text for text in texts), fact


def test_unanswerable_lines_give_no_expected_fact():
    for question in fact_questions():
        if question.category != Category.ANSWERABLE:
            assert not question.facts and not question.sentences, question.id


def test_question_ids_are_unique_across_the_fact_sets():
    ids = [q.id for q in fact_questions()]
    assert len(ids) == len(set(ids))


def test_the_sets_hold_the_questions_the_issue_asks_for():
    counts = Counter((q.language, q.category) for q in fact_questions())
    assert counts["id", Category.NEAR_MISS] + counts["en", Category.NEAR_MISS] >= 60
    assert counts["id", Category.ANSWERABLE] >= 80
    assert counts["en", Category.ANSWERABLE] >= 40
    assert counts["id", Category.OFF_TOPIC] and counts["en", Category.OFF_TOPIC]


def test_the_issues_examples_are_in_the_sets():
    asked = {q.question for q in fact_questions()}
    assert {
        "siapa yang memimpin delegasi ukraina?",
        "How many bodies has Russia not returned yet?",
        "Berapa korban sipil dalam perang ini?",
        "Berapa tentara Rusia yang tewas?",
        "Kapan perang dimulai?",
        "How many tanks were destroyed?",
        "Di mana pertemuan berikutnya akan diadakan?",
    } <= asked


@pytest.mark.parametrize("path", SENTENCE_SETS, ids=lambda p: p.name)
def test_the_sentence_level_sets_still_load_with_a_category(path):
    questions = load_questions(path)
    assert {q.category for q in questions} == {Category.ANSWERABLE, Category.UNANSWERABLE}
    assert all(q.sentences for q in questions if q.answerable)
