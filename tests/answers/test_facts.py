"""find_fact / has_fact on hand-made sentences: the fact a question asks for, found by grammar."""

from __future__ import annotations

import pytest

from bot.answers.facts import find_fact, has_fact, question_terms
from bot.answers.question import AskedDetail, QuestionType
from index.lexical import Tokenizer

HOW_MANY, WHEN, WHERE, WHO = QuestionType.how_many, QuestionType.when, QuestionType.where, QuestionType.who


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer()


def fact_text(sentence: str, question_type: QuestionType, tokenizer: Tokenizer, question: str = "") -> str | None:
    fact = find_fact(sentence, question_type, question_terms(question, tokenizer), tokenizer)
    if fact is None:
        return None
    assert sentence[fact.start : fact.end] == fact.text, "the offsets must point at the fact in the sentence"
    return fact.text


# --- numbers with their noun -------------------------------------------------------------


def test_number_with_thousands_dot_keeps_its_noun(tokenizer):
    sentence = "Pertukaran ini melibatkan 1.200 tawanan perang, sebuah langkah signifikan."
    assert fact_text(sentence, HOW_MANY, tokenizer) == "1.200 tawanan perang"


def test_decimal_comma_percentage(tokenizer):
    sentence = "Inflasi naik 3,5 persen pada bulan lalu."
    assert fact_text(sentence, HOW_MANY, tokenizer) == "3,5 persen"


def test_number_word_with_its_noun_stops_at_function_word(tokenizer):
    sentence = "Rusia mengusulkan tiga kelompok kerja yang akan membahas isu kemanusiaan."
    assert fact_text(sentence, HOW_MANY, tokenizer) == "tiga kelompok kerja"


def test_english_number_with_comma_thousands(tokenizer):
    sentence = "The exchange involved 1,200 prisoners of war, officials said."
    assert fact_text(sentence, HOW_MANY, tokenizer) == "1,200 prisoners"


def test_year_of_a_date_is_not_a_count(tokenizer):
    sentence = "Pada 23 Juli 2027, sebanyak 1.200 tawanan ditukar."
    assert fact_text(sentence, HOW_MANY, tokenizer).startswith("1.200 tawanan")


def test_candidate_nearest_the_question_words_wins(tokenizer):
    sentence = (
        "Rusia berjanji untuk mengembalikan 7.000 jenazah tentara Ukraina yang gugur, "
        "meskipun masih ada 3.000 jenazah lagi yang belum dikembalikan."
    )
    assert fact_text(sentence, HOW_MANY, tokenizer, "berapa jenazah yang belum dikembalikan") == "3.000 jenazah"


def test_nearest_candidate_in_english(tokenizer):
    sentence = "Russia returned 7,000 bodies, but 3,000 bodies have not been returned yet."
    assert fact_text(sentence, HOW_MANY, tokenizer, "How many bodies have not been returned yet?") == "3,000 bodies"


def test_without_question_words_the_first_candidate_wins(tokenizer):
    sentence = "Rusia mengembalikan 7.000 jenazah, meskipun masih ada 3.000 jenazah lagi."
    assert fact_text(sentence, HOW_MANY, tokenizer).startswith("7.000 jenazah")


# --- dates ---------------------------------------------------------------------------------


def test_indonesian_date(tokenizer):
    sentence = "Pertemuan damai yang diadakan pada tanggal 23 Juli 2027, di Istanbul, membuktikan banyak hal."
    assert fact_text(sentence, WHEN, tokenizer) == "23 Juli 2027"


def test_date_with_weekday(tokenizer):
    sentence = "Kesepakatan itu ditandatangani pada Senin, 5 Mei 2025, di Doha."
    assert fact_text(sentence, WHEN, tokenizer) == "Senin, 5 Mei 2025"


def test_english_month_day_year(tokenizer):
    sentence = "The ceasefire took effect on July 4, 2026, after weeks of talks."
    assert fact_text(sentence, WHEN, tokenizer) == "July 4, 2026"


# --- places --------------------------------------------------------------------------------


def test_place_after_di(tokenizer):
    sentence = "Pertemuan berlangsung di Istanbul pada hari yang sama."
    assert fact_text(sentence, WHERE, tokenizer) == "Istanbul"


def test_place_after_in(tokenizer):
    sentence = "The talks were held in Geneva last week."
    assert fact_text(sentence, WHERE, tokenizer) == "Geneva"


def test_multi_word_place(tokenizer):
    sentence = "Para juru runding bertemu di Kuala Lumpur untuk putaran kedua."
    assert fact_text(sentence, WHERE, tokenizer) == "Kuala Lumpur"


def test_place_at_the_start_of_a_sentence(tokenizer):
    assert fact_text("Di Jakarta, para menteri bertemu.", WHERE, tokenizer) == "Jakarta"


def test_month_after_in_is_not_a_place(tokenizer):
    sentence = "The meeting was held in July 2027 in Istanbul."
    assert fact_text(sentence, WHERE, tokenizer) == "Istanbul"


# --- people and roles ----------------------------------------------------------------------


def test_role_after_oleh(tokenizer):
    sentence = "Dalam pertemuan tersebut, delegasi Rusia dipimpin oleh Ajudan Kepresidenan, sementara itu hujan."
    assert fact_text(sentence, WHO, tokenizer) == "Ajudan Kepresidenan"


def test_agent_joined_with_dan(tokenizer):
    sentence = "Delegasi Ukraina diwakili oleh Sekretaris Dewan Keamanan dan Pertahanan Nasional."
    assert fact_text(sentence, WHO, tokenizer) == "Sekretaris Dewan Keamanan dan Pertahanan Nasional"


def test_person_after_by(tokenizer):
    sentence = "The Russian delegation was led by Vladimir Medinsky, a presidential aide."
    assert fact_text(sentence, WHO, tokenizer) == "Vladimir Medinsky"


def test_multi_word_capitalized_name_without_agent(tokenizer):
    sentence = "Kemarin, Menteri Luar Negeri Sugiono bertemu para wartawan."
    assert fact_text(sentence, WHO, tokenizer) == "Menteri Luar Negeri Sugiono"


def test_sentence_initial_capital_is_not_a_name(tokenizer):
    assert fact_text("Pertemuan itu berlangsung lama.", WHO, tokenizer) is None


def test_month_after_by_is_not_a_person(tokenizer):
    assert fact_text("The talks should end by July without a deal.", WHO, tokenizer) is None


def test_name_that_starts_like_a_month_is_still_a_person(tokenizer):
    assert fact_text("Perundingan itu dipimpin oleh Jan Egeland.", WHO, tokenizer) == "Jan Egeland"


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


@pytest.mark.parametrize(
    "question_type",
    [QuestionType.what, QuestionType.why, QuestionType.how, QuestionType.yes_no],
)
def test_types_without_a_fact_kind_highlight_nothing(question_type, tokenizer):
    assert fact_text("Pertemuan diadakan pada 23 Juli 2027 di Istanbul.", question_type, tokenizer) is None


# --- finer details: a year, a clock time, a duration, a person's name ------------------------

YEAR, CLOCK, DURATION, NAME = (AskedDetail.year, AskedDetail.clock_time, AskedDetail.duration,
                               AskedDetail.person_name)


@pytest.mark.parametrize(
    ("question_type", "detail", "with_fact", "without_fact"),
    [
        (WHEN, YEAR, "Pertemuan diadakan pada 23 Juli 2027.", "Pertemuan ditunda hingga proses teknis selesai."),
        (WHEN, CLOCK, "Pertemuan dimulai pukul 10.00 WIB.", "Pertemuan diadakan pada 23 Juli 2027."),
        (WHEN, CLOCK, "The talks began at 10:30 am.", "The talks began on 23 July 2027."),
        (HOW_MANY, DURATION, "Perundingan berlangsung selama dua jam.", "Pertukaran melibatkan 1.200 tawanan."),
        (HOW_MANY, DURATION, "The war has lasted three years.", "The talks involved 1,200 prisoners."),
        (WHO, NAME, "Delegasi dipimpin oleh Vladimir Medinsky.", "Delegasi dipimpin oleh Ajudan Kepresidenan."),
        (WHO, NAME, "Foreign Minister Hakan Fidan opened the talks.", "The Foreign Minister opened the talks."),
    ],
    ids=["year", "clock-id", "clock-en", "duration-id", "duration-en", "name-id", "name-en"],
)
def test_has_fact_for_finer_details(question_type, detail, with_fact, without_fact):
    assert has_fact(with_fact, question_type, detail)
    assert not has_fact(without_fact, question_type, detail)


def test_offices_in_capitals_are_not_person_names(tokenizer):
    sentence = "Delegasi Ukraina diwakili oleh Sekretaris Dewan Keamanan dan Pertahanan Nasional."
    assert find_fact(sentence, WHO, set(), tokenizer, NAME) is None


def test_person_name_is_highlighted_without_the_office_before_it(tokenizer):
    sentence = "Pembicaraan dibuka oleh Menteri Luar Negeri Hakan Fidan di Istanbul."
    fact = find_fact(sentence, WHO, set(), tokenizer, NAME)
    assert fact is not None and fact.text == "Hakan Fidan"


def test_duration_is_highlighted_not_the_count_beside_it(tokenizer):
    sentence = "Pertemuan yang melibatkan 40 diplomat itu berlangsung selama tiga jam."
    fact = find_fact(sentence, HOW_MANY, set(), tokenizer, DURATION)
    assert fact is not None and fact.text == "selama tiga jam"
