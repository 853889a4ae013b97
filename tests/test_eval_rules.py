"""The rules `bot eval` scores by: fact matching (SQuAD's normalisation), question lines, passage sets
(FacQA, SQuAD-format files such as TyDi QA)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from evaluation.facqa import detokenize, read_facqa
from evaluation.passages import read_squad, write_articles
from evaluation.questions import Category, EvalQuestion, content_key, exact_match, normalize_answer, token_f1


def test_normalising_makes_indonesian_and_english_thousands_the_same_number():
    assert normalize_answer("1.200") == normalize_answer("1,200") == "1200"


def test_normalising_ignores_case_punctuation_and_english_articles():
    assert normalize_answer("  The Hofburg  Palace. ") == "hofburg palace"


def test_a_stated_fact_matches_when_it_equals_an_accepted_span():
    assert exact_match("3.000 jenazah", ["3.000 jenazah", "3.000"])
    assert exact_match("3.000", ["3.000 jenazah", "3.000"])


def test_a_stated_fact_with_more_or_other_words_does_not_match():
    assert not exact_match("3.000 jenazah lagi", ["3.000 jenazah", "3.000"])
    assert not exact_match("7.000 jenazah", ["3.000 jenazah", "3.000"])


def test_no_stated_fact_never_matches():
    assert not exact_match("", ["3.000"])
    assert not exact_match("", [""])


def test_token_f1_gives_partial_credit_for_overlapping_words():
    assert token_f1("Badan Tenaga Atom", "Badan Tenaga Atom Internasional") == pytest.approx(
        2 * 1 * 0.75 / 1.75
    )
    assert token_f1("UNESCO", "Koichiro Matsuura") == 0.0
    assert token_f1("", "Koichiro Matsuura") == 0.0


def test_a_sentence_level_line_gets_its_category_from_answerable():
    line = EvalQuestion(id="x", question="q", language="id", answerable=False)
    assert line.category == Category.UNANSWERABLE and line.answerable is False


def test_a_fact_level_line_gets_answerable_from_its_category():
    line = EvalQuestion(id="x", question="q", language="en", category="near_miss")
    assert line.answerable is False


def test_a_line_without_category_or_answerable_is_rejected():
    with pytest.raises(ValidationError, match="category"):
        EvalQuestion(id="x", question="q", language="id")


def test_a_line_needs_one_article_per_expected_sentence():
    with pytest.raises(ValidationError, match="one article per expected sentence"):
        EvalQuestion(
            id="x",
            question="q",
            language="id",
            category="answerable",
            facts=["a"],
            article="a1",
            sentence=["s1", "s2"],
        )


def test_the_content_key_changes_with_a_files_bytes(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text("one", encoding="utf-8")
    first = content_key([path])
    path.write_text("two", encoding="utf-8")
    assert content_key([path]) != first
    assert content_key([path], "another model") != content_key([path])


def test_detokenize_puts_punctuation_quotes_and_inner_hyphens_back():
    tokens = [
        "Jakarta",
        ",",
        "Kompas",
        "-",
        "Satelit",
        "Telkom",
        "-",
        "2",
        "(",
        "AFP",
        "/",
        "AP",
        ")",
        "ke",
        "-",
        "10",
        "pada",
        "1990",
        "-",
        "an",
        ",",
        "rata",
        "-",
        "rata",
        '"',
        "Zaman",
        "Kegelapan",
        '"',
        ".",
    ]
    assert (
        detokenize(tokens)
        == 'Jakarta, Kompas - Satelit Telkom - 2 (AFP/AP) ke-10 pada 1990-an, rata-rata "Zaman Kegelapan".'
    )


CSV = """question,passage,seq_label
"['Siapa', 'Dirjen', '?']","['Dirjen', 'UNESCO', 'Koichiro', 'Matsuura', 'hadir', '.']","['O', 'O', 'B', 'I', 'O', 'O']"
"['Apa', 'jabatan', 'Koichiro', '?']","['Dirjen', 'UNESCO', 'Koichiro', 'Matsuura', 'hadir', '.']","['B', 'I', 'O', 'O', 'O', 'O']"
"['Di', 'mana', '?']","['Ia', 'tinggal', 'di', 'Paris', '.']","['O', 'O', 'O', 'B', 'O']"
"""


def test_facqa_gives_one_article_per_distinct_passage_and_the_gold_span(tmp_path: Path):
    path = tmp_path / "facqa.csv"
    path.write_text(CSV, encoding="utf-8")
    facqa = read_facqa(path)
    assert [p.text for p in facqa.passages] == [
        "Dirjen UNESCO Koichiro Matsuura hadir.",
        "Ia tinggal di Paris.",
    ]
    assert [(q.question, q.golds) for q in facqa.questions] == [
        ("Siapa Dirjen?", ["Koichiro Matsuura"]),
        ("Apa jabatan Koichiro?", ["Dirjen UNESCO"]),
        ("Di mana?", ["Paris"]),
    ]
    assert facqa.questions[0].passage_id == facqa.questions[1].passage_id != facqa.questions[2].passage_id
    write_articles(facqa, tmp_path / "articles")
    assert sorted(p.name for p in (tmp_path / "articles").glob("*.txt")) == [
        "facqa_0001.txt",
        "facqa_0002.txt",
    ]
    meta = json.loads((tmp_path / "articles" / "facqa_0001.meta.json").read_text(encoding="utf-8"))
    assert meta == {"title": "FacQA 0001", "language": "id", "source": "FacQA (IndoNLU), Apache-2.0"}


SQUAD = {
    "version": "1.1",
    "data": [
        {
            "title": "Jakarta",
            "paragraphs": [
                {
                    "context": "Jakarta adalah ibu kota Indonesia.",
                    "qas": [
                        {
                            "id": "a",
                            "question": "Apa ibu kota Indonesia?",
                            "answers": [
                                {"text": "Jakarta", "answer_start": 0},
                                {"text": "Jakarta ", "answer_start": 0},
                            ],
                        },
                        {
                            "id": "b",
                            "question": "Jakarta ibu kota negara apa?",
                            "answers": [{"text": "Indonesia", "answer_start": 24}],
                        },
                    ],
                },
                {
                    "context": "Jakarta terletak di Pulau Jawa.",
                    "qas": [
                        {
                            "id": "c",
                            "question": "Di pulau apa Jakarta?",
                            "answers": [{"text": "Pulau Jawa", "answer_start": 20}],
                        }
                    ],
                },
            ],
        },
        {
            "title": "Bandung",
            "paragraphs": [
                {
                    "context": "Bandung berada di Jawa Barat.",
                    "qas": [
                        {
                            "id": "d",
                            "question": "Di provinsi apa Bandung?",
                            "answers": [{"text": "Jawa Barat", "answer_start": 18}],
                        }
                    ],
                }
            ],
        },
    ],
}


def test_a_squad_file_gives_one_titled_article_per_passage_and_every_gold_answer(tmp_path: Path):
    path = tmp_path / "tydi_tiny.json"
    path.write_text(json.dumps(SQUAD), encoding="utf-8")
    squad = read_squad(path)
    assert squad.name == "tydi_tiny.json"
    assert [(p.id, p.title) for p in squad.passages] == [
        ("squad_0001", "Jakarta"),
        ("squad_0002", "Jakarta"),
        ("squad_0003", "Bandung"),
    ]
    assert [(q.passage_id, q.golds) for q in squad.questions] == [
        ("squad_0001", ["Jakarta", "Jakarta "]),
        ("squad_0001", ["Indonesia"]),
        ("squad_0002", ["Pulau Jawa"]),
        ("squad_0003", ["Jawa Barat"]),
    ]
    write_articles(squad, tmp_path / "articles")
    assert (tmp_path / "articles" / "squad_0003.txt").read_text(
        encoding="utf-8"
    ) == "Bandung berada di Jawa Barat.\n"
    meta = json.loads((tmp_path / "articles" / "squad_0003.meta.json").read_text(encoding="utf-8"))
    assert meta["title"] == "Bandung" and "language" not in meta


def test_a_squad_question_without_an_answer_is_rejected(tmp_path: Path):
    path = tmp_path / "squad2.json"
    path.write_text(
        json.dumps(
            {
                "data": [
                    {
                        "title": "t",
                        "paragraphs": [
                            {"context": "c", "qas": [{"id": "x", "question": "q", "answers": []}]}
                        ],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="answers"):
        read_squad(path)
