"""The verifier's rules on single sentences, without the model: word support, clashing modifiers,
the counted noun, and READER_CHECKS turning a check off. Fast."""

from __future__ import annotations

import pytest

from bot.answers.lexicon import GLOSSARY, Lexicon, english_forms, read_glossary
from bot.answers.question import QuestionAnalyzer
from bot.answers.verify import Check, QuestionWords, WordSupport
from index.lexical import Tokenizer


@pytest.fixture(scope="module")
def support() -> WordSupport:
    """Stems and the committed glossary only (no Debian lexicons, no e5): rules, not resources."""
    return WordSupport(
        Tokenizer(), Lexicon({}, read_glossary(GLOSSARY)), names=["rusia", "ukraina", "jenewa"]
    )


@pytest.fixture(scope="module")
def analyzer() -> QuestionAnalyzer:
    return QuestionAnalyzer()


@pytest.fixture(scope="module")
def words_of(support: WordSupport, analyzer: QuestionAnalyzer):
    def words(question: str) -> QuestionWords:
        return support.question_words(analyzer.analyze(question))

    return words


def test_english_forms_undo_inflection():
    assert "body" in english_forms("bodies") and "return" in english_forms("returned")
    assert "lead" in english_forms("led")


def test_a_word_is_supported_by_its_stem(support, words_of):
    tokens = support.tokens("Pertukaran ini melibatkan 1.200 tawanan perang.")
    assert all(support.support(w, tokens) for w in words_of("Berapa tawanan yang ditukar?").words)


def test_an_english_word_is_supported_by_its_translation(support, words_of):
    tokens = support.tokens("Rusia berjanji untuk mengembalikan 7.000 jenazah.")
    assert [
        w.text for w in words_of("How many bodies were returned?").words if not support.support(w, tokens)
    ] == []


def test_a_word_no_resource_knows_is_not_supported(support, words_of):
    tokens = support.tokens("Pertukaran ini melibatkan 1.200 tawanan perang.")
    missing = [
        w.text for w in words_of("Berapa korban sipil dalam perang?").words if not support.support(w, tokens)
    ]
    assert "sipil" in missing


def test_a_contradicting_modifier_clashes(support, words_of):
    tokens = support.tokens("Rusia mengembalikan 7.000 jenazah tentara Ukraina yang gugur.")
    assert support.contradictions(words_of("Berapa tentara Rusia yang tewas?"), tokens) == ["tentara Ukraina"]


def test_the_same_modifier_does_not_clash(support, words_of):
    tokens = support.tokens("sementara delegasi Ukraina diwakili oleh Sekretaris Dewan Keamanan")
    assert support.contradictions(words_of("Siapa yang memimpin delegasi Ukraina?"), tokens) == []


def test_a_word_the_question_writes_beside_its_noun_is_no_rival_modifier(support, words_of):
    tokens = support.tokens("Menurut Kepala Badan Pusat Statistik, Rusli Aden, angka itu naik.")
    assert support.contradictions(words_of("Siapa Kepala Badan Pusat Statistik (BPS)?"), tokens) == []


def test_a_word_of_the_answer_is_no_rival_modifier(support, words_of):
    tokens = support.tokens("Bandara Kuala Namu akan menggantikan bandara lama itu.")
    words = words_of("Bandara apa yang akan menggantikan Bandara Polonia?")
    assert support.contradictions(words, tokens, span=(0, 18)) == []
    assert support.contradictions(words, tokens) == ["Bandara Kuala"]


def test_a_name_the_question_gives_the_same_noun_elsewhere_is_no_rival(support, words_of):
    tokens = support.tokens("Ahli orangutan dari Belanda memperkirakan jumlahnya 12.770 ekor.")
    words = words_of("Berapa jumlah orangutan Sumatera menurut ahli orangutan dari Belanda?")
    assert support.contradictions(words, tokens) == []


def test_a_name_the_question_gives_another_noun_still_clashes(support, words_of):
    tokens = support.tokens("Rusia membebaskan 300 tawanan Ukraina pada hari Senin.")
    words = words_of("Berapa tawanan Rusia yang dibebaskan Ukraina?")
    assert "tawanan Ukraina" in support.contradictions(words, tokens)


def test_a_people_named_after_the_asked_country_is_no_rival(support, words_of):
    tokens = support.tokens("Aksi protes itu menyebabkan sekitar 700 warga Uzbek tewas.")
    assert support.contradictions(words_of("Berapa warga Uzbekistan yang tewas?"), tokens) == []


def test_a_country_spelled_almost_alike_still_clashes(support, words_of):
    tokens = support.tokens("Serangan itu menewaskan 40 warga Iraq.")
    assert support.contradictions(words_of("Berapa warga Iran yang tewas?"), tokens) == ["warga Iraq"]


def test_a_name_heading_a_list_that_holds_the_asked_one_is_no_rival(support, words_of):
    tokens = support.tokens("Delegasi Rusia dan Ukraina bertemu di Istanbul.")
    assert support.contradictions(words_of("Di mana delegasi Ukraina bertemu?"), tokens) == []


def test_a_name_heading_a_list_without_the_asked_one_still_clashes(support, words_of):
    tokens = support.tokens("Delegasi Rusia dan Belarus bertemu di Istanbul.")
    assert support.contradictions(words_of("Di mana delegasi Ukraina bertemu?"), tokens) == ["Delegasi Rusia"]


def test_another_subject_of_the_asked_verb_clashes(support, words_of):
    tokens = support.tokens("Pertukaran ini merupakan yang kedua sejak perundingan dimulai pada bulan Juli.")
    assert support.contradictions(words_of("Kapan perang dimulai?"), tokens) == ["perundingan dimulai"]


def test_a_relative_pronoun_before_the_asked_verb_is_no_subject(support, words_of):
    tokens = support.tokens("Antihistamines are drugs which treat allergic rhinitis.")
    assert support.contradictions(words_of("What does antihistamine treat?"), tokens) == []


def test_an_amount_of_another_noun_does_not_count_the_asked_one(support, words_of):
    clause = support.tokens("Rusia mengembalikan 7.000 jenazah tentara Ukraina yang gugur.")
    span = clause[2:5]  # "7.000 jenazah tentara": bodies, not soldiers
    assert not support.verify(
        words_of("Berapa tentara Rusia yang tewas?"), clause, clause, [], span
    ).counted_ok


def test_an_amount_of_money_answers_how_much_was_given(support, words_of):
    clause = support.tokens(
        "Dion, yang menyumbang satu juta dollar AS untuk korban topan itu, merasa terpukul."
    )
    span = clause[3:7]  # "satu juta dollar AS"
    assert support.verify(
        words_of("Berapakah sumbangan yang diberikan Dion?"), clause, clause, [], span
    ).counted_ok


def test_a_check_left_out_of_reader_checks_does_not_speak_against_the_span(support, words_of):
    clause = support.tokens("Rusia mengembalikan 7.000 jenazah tentara Ukraina yang gugur.")
    checks = frozenset(Check) - {Check.COUNTED}
    assert support.verify(
        words_of("Berapa tentara Rusia yang tewas?"), clause, clause, [], clause[2:5], checks
    ).counted_ok


def test_a_name_the_question_gives_must_be_in_the_sentence_or_its_context(support, words_of):
    words = words_of("Siapa yang memimpin delegasi Rusia di Jenewa?")
    sentence = support.tokens("Delegasi Rusia dipimpin oleh Arkady Belov.")
    elsewhere = support.tokens("Perundingan damai di Wina, Austria")
    in_geneva = support.tokens("Putaran kedua di Jenewa, Swiss")
    assert not support.verify(words, sentence, sentence, elsewhere, sentence[4:6]).names_ok
    assert support.verify(words, sentence, sentence, in_geneva, sentence[4:6]).names_ok


def test_a_name_written_beside_a_name_the_text_gives_is_part_of_that_name(support, words_of):
    words = words_of("Di mana Wilson Wenas mengajar?")
    sentence = support.tokens(
        "Menurut Wilson, staf pengajar dari Institut Teknologi Bandung itu, karyanya menang."
    )
    assert support.verify(words, sentence, sentence, [], sentence[6:9]).names_ok


def test_an_acronym_is_named_where_the_text_writes_the_name_out(support, words_of):
    words = words_of("When will the next IAEA inspection take place?")
    sentence = support.tokens("Inspectors from the International Atomic Energy Agency will visit in June.")
    assert support.verify(words, sentence, sentence, [], sentence[-1:]).names_ok


def test_an_acronym_of_other_initials_is_still_missing(support, words_of):
    words = words_of("When will the next OSCE inspection take place?")
    sentence = support.tokens("Inspectors from the International Atomic Energy Agency will visit in June.")
    assert not support.verify(words, sentence, sentence, [], sentence[-1:]).names_ok


def test_a_name_apart_from_the_names_the_text_gives_is_still_missing(support, words_of):
    words = words_of("Siapa yang memimpin delegasi Rusia dalam perundingan Doha?")
    sentence = support.tokens("Delegasi Rusia dipimpin oleh Arkady Belov.")
    assert not support.verify(words, sentence, sentence, [], sentence[4:6]).names_ok


def test_a_sentence_with_less_than_half_of_the_question_words_is_not_covered(support, words_of):
    words = words_of("Berapa korban sipil yang tewas dalam serangan udara?")
    sentence = support.tokens("Pertukaran ini melibatkan 1.200 tawanan perang.")
    assert not support.verify(words, sentence, sentence, [], sentence[3:5]).covered


def test_a_sentence_whose_question_words_are_all_in_its_title_is_not_covered(support, words_of):
    words = words_of("Berapa lama pertukaran tawanan berlangsung?")
    sentence = support.tokens("Gencatan senjata diperpanjang selama 90 hari.")
    title = support.tokens("Kedua pihak sepakat menukar 2.500 tawanan; pertukaran di perbatasan")
    verification = support.verify(words, sentence, sentence, title, sentence[-2:])
    assert verification.supported and not verification.covered


def test_a_sentence_with_one_question_word_is_covered_with_its_title(support, words_of):
    words = words_of("Berapa lama pertukaran tawanan berlangsung?")
    sentence = support.tokens("Pertukaran itu berlangsung selama delapan jam.")
    title = support.tokens("Pertukaran 1.200 tawanan perang")
    assert support.verify(words, sentence, sentence, title, sentence[-2:]).covered


def test_a_question_of_one_content_word_is_covered_by_any_sentence(support, words_of):
    words = words_of("Where were the negotiations held?")
    sentence = support.tokens("Pertemuan damai diadakan di Istanbul.")
    assert support.verify(words, sentence, sentence, [], sentence[-1:]).covered


def test_a_how_many_question_of_a_noun_is_not_answered_without_an_amount(support, words_of):
    clause = support.tokens("Pertukaran dilakukan dengan tawanan yang sakit berat didahulukan.")
    span = clause[5:8]  # "sakit berat didahulukan"
    assert not support.verify(words_of("Berapa tawanan yang ditukar?"), clause, clause, [], span).counted_ok


def test_a_bare_number_counts_the_noun_beside_it(support, words_of):
    words = words_of("How many prisoners were exchanged?")
    clause = support.tokens("The 2,000 prisoners will be exchanged in four stages.")
    assert support.verify(words, clause, clause, [], clause[1:2]).counted_ok  # "2,000" prisoners
    assert not support.verify(words, clause, clause, [], clause[7:8]).counted_ok  # "four" stages


def test_a_bare_number_before_adjectives_and_a_coordination_still_finds_its_noun(support, words_of):
    words = words_of("How many soldiers will be exchanged first?")
    clause = support.tokens("The first stage covers 300 wounded and seriously ill soldiers.")
    assert support.verify(words, clause, clause, [], clause[4:5]).counted_ok


def test_the_verb_after_a_how_many_noun_is_not_the_counted_noun(words_of):
    counted = words_of("How many observers monitor the ceasefire?").counted
    assert counted is not None and counted.text == "observers"


def test_berapa_after_a_calendar_word_asks_a_date_and_counts_nothing(words_of):
    assert words_of("Tanggal berapa kontrak itu ditandatangani?").counted is None
    assert words_of("Pada tahun berapakah VOC dinyatakan pailit?").counted is None
    counted = words_of("Berapa tahun tawanan itu ditahan?").counted
    assert counted is not None and counted.text == "tahun"


def test_a_measure_noun_formed_from_its_root_counts_nothing(words_of):
    assert words_of("Berapa ketinggian Gunung Dempo?").counted is None


def test_a_subject_joined_by_dan_to_the_asked_one_does_not_clash(support, words_of):
    tokens = support.tokens(
        "Gencatan senjata di sekitar fasilitas energi dan pelabuhan diperpanjang selama 90 hari."
    )
    assert support.contradictions(words_of("Berapa lama gencatan senjata energi diperpanjang?"), tokens) == []


def test_a_subject_joined_by_and_to_a_word_of_an_english_question_does_not_clash(support, words_of):
    tokens = support.tokens(
        "Gencatan senjata di sekitar fasilitas energi dan pelabuhan diperpanjang selama 90 hari."
    )
    words = words_of("How long was the energy ceasefire extended?")
    assert support.contradictions(words, tokens) == []


def test_a_subject_joined_to_a_word_the_question_lacks_still_clashes(support, words_of):
    tokens = support.tokens("Pertukaran tawanan dan perundingan dimulai pada Senin.")
    assert support.contradictions(words_of("Kapan perang dimulai?"), tokens) != []


def test_a_time_word_after_a_noun_is_not_its_verb(words_of):
    words = words_of("Di mana pertemuan berikutnya akan diadakan?")
    assert words.subjects == ()


def test_a_retired_check_named_in_reader_checks_is_dropped_not_refused(monkeypatch) -> None:
    from bot.settings import Settings

    monkeypatch.setenv("READER_CHECKS", "negation,counted")
    assert Settings(_env_file=None).reader_checks == (Check.COUNTED,)  # type: ignore[call-arg]


def test_a_bare_duration_does_not_say_when(support, words_of):
    clause = support.tokens("Perundingan digelar di Palais des Nations selama tiga hari.")
    verification = support.verify(words_of("Kapan perundingan digelar?"), clause, clause, [], clause[-2:])
    assert not verification.says_when and not verification.passed


def test_a_duration_counted_from_an_event_says_when(support, words_of):
    clause = support.tokens("Pertukaran dilakukan sepuluh hari setelah perundingan Jenewa berakhir.")
    span = clause[2:]  # "sepuluh hari setelah perundingan Jenewa berakhir"
    assert support.verify(words_of("Kapan pertukaran dilakukan?"), clause, clause, [], span).says_when


def test_a_how_long_question_is_answered_by_a_duration(support, words_of):
    clause = support.tokens("Perundingan digelar di Palais des Nations selama tiga hari.")
    words = words_of("Berapa lama perundingan digelar?")
    assert support.verify(words, clause, clause, [], clause[-2:]).says_when


def test_the_duration_check_can_be_turned_off(support, words_of):
    clause = support.tokens("The talks lasted three days.")
    checks = frozenset(Check) - {Check.DURATION}
    words = words_of("When were the talks held?")
    assert support.verify(words, clause, clause, [], clause[-2:], checks).says_when
    assert not support.verify(words, clause, clause, [], clause[-2:]).says_when


def test_a_duration_counts_no_prisoners(support, words_of):
    clause = support.tokens("Perundingan digelar di Palais des Nations selama tiga hari.")
    span = clause[-2:]  # "tiga hari"
    assert not support.verify(words_of("How many prisoners exchanged?"), clause, clause, [], span).counted_ok
    assert support.verify(words_of("Berapa hari perundingan digelar?"), clause, clause, [], span).counted_ok


def test_an_english_duration_counts_the_indonesian_time_unit_asked(support, words_of):
    clause = support.tokens("It can be extended by a further 30 days.")
    span = clause[-2:]  # "30 days"
    assert support.verify(
        words_of("Berapa hari gencatan senjata bisa diperpanjang?"), clause, clause, [], span
    ).counted_ok


def test_a_how_long_question_counts_nothing(words_of):
    assert words_of("Berapa lama perundingan di Jenewa berlangsung?").counted is None
