"""Subject matching: an article is about a subject when the subject is what it reports on, in
either language, not when the word merely appears in passing."""

from functools import cache
from pathlib import Path

import pytest

from bot.alerts.subjects import SubjectMatcher, normalize_subject
from bot.answers.lexicon import load_lexicon
from index.articles import read_article
from index.ingest import split_articles
from index.models import Sentence

REPO = Path(__file__).resolve().parents[2]
REPORTS = REPO / "tests" / "data" / "articles"
SEED = REPO / "seeds" / "000_5e52b92a9a26778a.txt"
PASSING = Path(__file__).parent / "data"


@cache
def matcher() -> SubjectMatcher:
    return SubjectMatcher(load_lexicon(REPO / "var" / "lexicon"))


def about(path: Path, subject: str) -> bool:
    article = read_article(path)
    sentences: list[Sentence] = split_articles([article]).sentences
    return matcher().about(subject, article.title, sentences)


@pytest.mark.parametrize(
    ("path", "subject"),
    [
        (SEED, "tawanan"),  # "1.200 tawanan perang" and "pertukaran tawanan"
        (REPORTS / "002_pertukaran_tahap_pertama.txt", "tawanan"),
        (REPORTS / "001_jenewa_putaran_kedua.txt", "gencatan senjata"),
        (REPORTS / "004_doha_energy_truce.txt", "ceasefire"),
    ],
)
def test_a_report_about_the_subject_matches(path: Path, subject: str) -> None:
    assert about(path, subject)


@pytest.mark.parametrize(
    ("path", "subject"),
    [
        (REPORTS / "003_vienna_third_round.txt", "tawanan"),  # "1,500 prisoners of war"
        (REPORTS / "004_doha_energy_truce.txt", "gencatan senjata"),  # "a 30-day ceasefire"
        (REPORTS / "002_pertukaran_tahap_pertama.txt", "prisoners"),
    ],
)
def test_the_subject_is_found_in_the_other_language(path: Path, subject: str) -> None:
    assert about(path, subject)


@pytest.mark.parametrize(
    ("path", "subject"),
    [
        (PASSING / "pelabuhan.txt", "tawanan"),  # "isu tawanan akan dibahas di forum lain", once
        (PASSING / "sepakbola.txt", "gencatan senjata"),  # a truce in a war of words between coaches
        (SEED, "gencatan senjata"),  # "dukungan kuat untuk gencatan senjata", once, in a closing remark
    ],
)
def test_a_word_that_appears_in_passing_does_not_match(path: Path, subject: str) -> None:
    assert matcher().words(subject)  # the words are there to be found...
    text = path.read_text(encoding="utf-8").lower()
    assert all(word in text for word in matcher().words(subject))
    assert not about(path, subject)  # ...and the article is still not about them


def test_a_subject_no_article_speaks_of_matches_none() -> None:
    assert not any(about(path, "pemilu") for path in [SEED, *sorted(REPORTS.glob("*.txt"))])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Gencatan   Senjata ", "gencatan senjata"),
        ("“tawanan”", "tawanan"),
        ("", None),
        ("123", None),
        ("x" * 61, None),
    ],
)
def test_a_subject_is_stored_lowercase_with_single_spaces_or_refused(text: str, expected: str | None) -> None:
    assert normalize_subject(text) == expected
