"""has_fact on hand-made sentences: whether a sentence holds the kind of fact a question asks
for, found by grammar (the gate and the ranking ask it; the trained reader picks the fact)."""

from __future__ import annotations

import pytest

from bot.answers.facts import has_fact
from bot.answers.question import AskedDetail, QuestionType

HOW_MANY, WHEN, WHERE, WHO = QuestionType.how_many, QuestionType.when, QuestionType.where, QuestionType.who


# --- the written forms of a fact -------------------------------------------------------------


@pytest.mark.parametrize(
    ("question_type", "sentence"),
    [
        (HOW_MANY, "Pertukaran ini melibatkan 1.200 tawanan perang, sebuah langkah signifikan."),
        (HOW_MANY, "Inflasi naik 3,5 persen pada bulan lalu."),
        (HOW_MANY, "Rusia mengusulkan tiga kelompok kerja yang akan membahas isu kemanusiaan."),
        (HOW_MANY, "The exchange involved 1,200 prisoners of war, officials said."),
        (
            WHEN,
            "Pertemuan damai yang diadakan pada tanggal 23 Juli 2027, di Istanbul, membuktikan banyak hal.",
        ),
        (WHEN, "Kesepakatan itu ditandatangani pada Senin, 5 Mei 2025, di Doha."),
        (WHEN, "The ceasefire took effect on July 4, 2026, after weeks of talks."),
        (WHERE, "Para juru runding bertemu di Kuala Lumpur untuk putaran kedua."),
        (WHERE, "Di Jakarta, para menteri bertemu."),
        (WHERE, "The talks were held in Geneva last week."),
        (WHO, "Delegasi Ukraina diwakili oleh Sekretaris Dewan Keamanan dan Pertahanan Nasional."),
        (WHO, "The Russian delegation was led by Vladimir Medinsky, a presidential aide."),
        (WHO, "Kemarin, Menteri Luar Negeri Sugiono bertemu para wartawan."),
        (WHO, "Perundingan itu dipimpin oleh Jan Egeland."),
    ],
)
def test_a_fact_is_found_in_its_written_forms(question_type, sentence):
    assert has_fact(sentence, question_type)


def test_a_date_is_not_a_count():
    assert not has_fact("Pengumuman itu dibuat pada 23 Juli 2027.", HOW_MANY)


def test_a_month_after_in_is_not_a_place():
    assert not has_fact("The meeting was held in July.", WHERE)


def test_a_sentence_initial_capital_is_not_a_name():
    assert not has_fact("Pertemuan itu berlangsung lama.", WHO)


def test_a_month_after_by_is_not_a_person():
    assert not has_fact("The talks should end by July without a deal.", WHO)


# --- has_fact per type ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question_type", "with_fact", "without_fact"),
    [
        (HOW_MANY, "Rusia mengusulkan tiga kelompok kerja.", "Rusia mengusulkan kelompok kerja."),
        (WHEN, "Pertemuan diadakan pada 23 Juli 2027.", "Pertemuan diadakan pekan lalu."),
        (WHERE, "Pertemuan diadakan di Istanbul.", "Pertemuan diadakan di tengah perang."),
        (WHO, "Delegasi dipimpin oleh Ajudan Kepresidenan.", "Delegasi itu dipimpin seorang ajudan."),
    ],
    ids=["how_many", "when", "where", "who"],
)
def test_has_fact_for_typed_questions(question_type, with_fact, without_fact):
    assert has_fact(with_fact, question_type)
    assert not has_fact(without_fact, question_type)


@pytest.mark.parametrize(
    "question_type",
    [QuestionType.what, QuestionType.why, QuestionType.how, QuestionType.yes_no, QuestionType.other],
)
def test_types_without_a_fact_kind_always_have_one(question_type):
    assert has_fact("Pertemuan diadakan pekan lalu.", question_type)


# --- finer details: a year, a clock time, a duration, a person's name ------------------------

YEAR, CLOCK, DURATION, NAME = (
    AskedDetail.year,
    AskedDetail.clock_time,
    AskedDetail.duration,
    AskedDetail.person_name,
)


@pytest.mark.parametrize(
    ("question_type", "detail", "with_fact", "without_fact"),
    [
        (
            WHEN,
            YEAR,
            "Pertemuan diadakan pada 23 Juli 2027.",
            "Pertemuan ditunda hingga proses teknis selesai.",
        ),
        (WHEN, CLOCK, "Pertemuan dimulai pukul 10.00 WIB.", "Pertemuan diadakan pada 23 Juli 2027."),
        (WHEN, CLOCK, "The talks began at 10:30 am.", "The talks began on 23 July 2027."),
        (
            HOW_MANY,
            DURATION,
            "Perundingan berlangsung selama dua jam.",
            "Pertukaran melibatkan 1.200 tawanan.",
        ),
        (HOW_MANY, DURATION, "The war has lasted three years.", "The talks involved 1,200 prisoners."),
        (
            WHO,
            NAME,
            "Delegasi dipimpin oleh Vladimir Medinsky.",
            "Delegasi dipimpin oleh Ajudan Kepresidenan.",
        ),
        (
            WHO,
            NAME,
            "Foreign Minister Hakan Fidan opened the talks.",
            "The Foreign Minister opened the talks.",
        ),
    ],
    ids=["year", "clock-id", "clock-en", "duration-id", "duration-en", "name-id", "name-en"],
)
def test_has_fact_for_finer_details(question_type, detail, with_fact, without_fact):
    assert has_fact(with_fact, question_type, detail)
    assert not has_fact(without_fact, question_type, detail)


def test_an_office_in_capitals_is_not_a_person_name():
    sentence = "Delegasi Ukraina diwakili oleh Sekretaris Dewan Keamanan dan Pertahanan Nasional."
    assert not has_fact(sentence, WHO, NAME)
