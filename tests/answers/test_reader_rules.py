"""The reader's and the verifier's rules on single sentences, without the model: spans, clauses,
word support, clashing modifiers, polarity. Fast."""

from __future__ import annotations

import pytest

from bot.answers.lexicon import GLOSSARY, Lexicon, english_forms, read_glossary
from bot.answers.question import QuestionAnalyzer
from bot.answers.reader import SpanKind, amounts, clause_of, clauses, dates, durations, lists, people, places
from bot.answers.verify import WordSupport
from index.lexical import Tokenizer


def texts(sentence: str, spans) -> list[str]:
    return [sentence[a:b] for (a, b), _ in spans]


@pytest.fixture(scope="module")
def support() -> WordSupport:
    """Stems and the committed glossary only (no Debian lexicons, no e5): rules, not resources."""
    return WordSupport(Tokenizer(), Lexicon({}, read_glossary(GLOSSARY)), names=["rusia", "ukraina", "jenewa"])


@pytest.fixture(scope="module")
def analyzer() -> QuestionAnalyzer:
    return QuestionAnalyzer()


def test_an_amount_keeps_its_noun_and_stops_at_the_verb():
    sentence = "Sebanyak 420 tawanan perang kembali ke negara masing-masing."
    assert texts(sentence, amounts(sentence)) == ["420 tawanan perang"]


def test_an_amount_is_not_a_date_or_a_clock_time():
    sentence = "Pada 5 Oktober 2027 pukul 09.00, 1.200 tawanan dibebaskan."
    assert texts(sentence, amounts(sentence)) == ["1.200 tawanan"]


def test_selama_tiga_hari_is_a_duration_and_dua_bulan_setelah_is_not():
    # the length itself is the fact, as the spans of SQuAD and FacQA have it: "tiga hari"
    sentence = "Perundingan berakhir dua bulan setelah pertemuan di Istanbul dan berlangsung selama tiga hari."
    assert texts(sentence, durations(sentence)) == ["tiga hari"]


def test_a_length_after_for_is_stated_without_it():
    sentence = "The talks lasted for three days."
    assert texts(sentence, durations(sentence)) == ["three days"]


def test_a_named_month_is_not_a_duration():
    sentence = "Tawanan dibebaskan dalam tiga gelombang selama bulan Agustus."
    assert durations(sentence) == []


def test_dates_include_months_without_a_day():
    sentence = "Tahap kedua dijadwalkan pada akhir Oktober."
    assert texts(sentence, dates(sentence)) == ["akhir Oktober"]


def test_a_place_may_follow_common_nouns_but_not_another_preposition():
    sentence = "Tahap pertama akan dilaksanakan di perbatasan Ukraina dan Belarus."
    assert texts(sentence, places(sentence)) == ["perbatasan Ukraina dan Belarus"]
    english = "The fourth round is scheduled to take place in Doha, Qatar, on 15 January 2028."
    assert texts(english, places(english)) == ["Doha, Qatar"]


def test_an_agent_after_oleh_or_by_is_a_person_candidate():
    sentence = "Russia's delegation was again headed by presidential aide Arkady Belov."
    found = people(sentence)
    assert ("Arkady Belov", SpanKind.PERSON) in [(sentence[a:b], k) for (a, b), k in found]


def test_an_office_named_before_its_holder_gives_the_holder():
    sentence = "Pemerintah Swiss bertindak sebagai mediator, dan Menteri Luar Negeri Swiss, Martina Aebi, membuka sesi."
    assert "Martina Aebi" in texts(sentence, people(sentence))


def test_a_list_is_one_span():
    sentence = "Rusia mengusulkan kelompok kerja terkait politik, kemanusiaan, dan militer."
    assert texts(sentence, lists(sentence)) == ["politik, kemanusiaan, dan militer"]


def test_clauses_break_before_sementara_and_after_a_comma_before_dan():
    sentence = "Delegasi Rusia dipimpin oleh A, sementara delegasi Ukraina diwakili oleh B."
    assert [sentence[a:b].strip(" ,.") for a, b in clauses(sentence)] == [
        "Delegasi Rusia dipimpin oleh A", "sementara delegasi Ukraina diwakili oleh B"]
    assert sentence[slice(*clause_of(sentence, sentence.index("B")))].startswith("sementara")


def test_english_forms_undo_inflection():
    assert "body" in english_forms("bodies") and "return" in english_forms("returned")
    assert "lead" in english_forms("led")


def test_a_word_is_supported_by_its_stem(support, analyzer):
    words = support.question_words(analyzer.analyze("Berapa tawanan yang ditukar?"))
    tokens = support.tokens("Pertukaran ini melibatkan 1.200 tawanan perang.")
    assert all(support.support(w, tokens) for w in words.words)


def test_an_english_word_is_supported_by_its_translation(support, analyzer):
    words = support.question_words(analyzer.analyze("How many bodies were returned?"))
    tokens = support.tokens("Rusia berjanji untuk mengembalikan 7.000 jenazah.")
    assert [w.text for w in words.words if not support.support(w, tokens)] == []


def test_a_word_no_resource_knows_is_not_supported(support, analyzer):
    words = support.question_words(analyzer.analyze("Berapa korban sipil dalam perang?"))
    tokens = support.tokens("Pertukaran ini melibatkan 1.200 tawanan perang.")
    missing = [w.text for w in words.words if not support.support(w, tokens)]
    assert "sipil" in missing


def test_a_contradicting_modifier_clashes(support, analyzer):
    words = support.question_words(analyzer.analyze("Berapa tentara Rusia yang tewas?"))
    tokens = support.tokens("Rusia mengembalikan 7.000 jenazah tentara Ukraina yang gugur.")
    assert support.contradictions(words, tokens) == ["tentara Ukraina"]


def test_the_same_modifier_does_not_clash(support, analyzer):
    words = support.question_words(analyzer.analyze("Siapa yang memimpin delegasi Ukraina?"))
    tokens = support.tokens("sementara delegasi Ukraina diwakili oleh Sekretaris Dewan Keamanan")
    assert support.contradictions(words, tokens) == []


def test_another_subject_of_the_asked_verb_clashes(support, analyzer):
    words = support.question_words(analyzer.analyze("Kapan perang dimulai?"))
    tokens = support.tokens("Pertukaran ini merupakan yang kedua sejak perundingan dimulai pada bulan Juli.")
    assert support.contradictions(words, tokens) == ["perundingan dimulai"]


def test_negation_must_agree(support, analyzer):
    words = support.question_words(analyzer.analyze("Berapa jenazah yang belum dikembalikan?"))
    negated = support.tokens("masih ada 3.000 jenazah lagi yang belum dikembalikan")
    plain = support.tokens("Rusia berjanji untuk mengembalikan 7.000 jenazah")
    assert words.negated
    assert support.verify(words, negated, negated, []).polarity_ok
    assert not support.verify(words, plain, plain, []).polarity_ok
