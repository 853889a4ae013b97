"""bot.answers.followup: completing a follow-up from the previous question, and leaving a question
that stands on its own alone. Pure: the real question analyzer and tokenizer, no index."""

from __future__ import annotations

import random

import pytest

from bot.answers.followup import Completion, Reason, Turn, complete
from bot.answers.question import Language, QuestionAnalyzer
from index.lexical import Tokenizer


@pytest.fixture(scope="module")
def analyzer() -> QuestionAnalyzer:
    return QuestionAnalyzer()


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer()


def follow(analyzer: QuestionAnalyzer, tokenizer: Tokenizer, previous: str, message: str) -> Completion:
    asked = analyzer.analyze(previous)
    return complete(Turn(analysis=asked, language=asked.language), analyzer.analyze(message), tokenizer)


@pytest.mark.parametrize(
    ("previous", "message", "completed"),
    [
        ("Siapa yang memimpin delegasi Rusia?", "Kalau Ukraina?", "Siapa yang memimpin delegasi Ukraina?"),
        (
            "Siapa yang memimpin delegasi Rusia?",
            "Terus delegasi Ukraina?",
            "Siapa yang memimpin delegasi Ukraina?",
        ),
        (
            "Kapan pertemuan damai di Istanbul diadakan?",
            "Dan di Jenewa?",
            "Kapan pertemuan damai di Jenewa diadakan?",
        ),
        ("Kapan pertemuan damai diadakan?", "Dan di Jenewa?", "Kapan pertemuan damai diadakan di Jenewa?"),
        ("Who led the Russian delegation?", "What about Ukraine?", "Who led the Ukraine delegation?"),
        (
            "How many prisoners of war did they agree to exchange in Vienna?",
            "And in Doha?",
            "How many prisoners of war did they agree to exchange in Doha?",
        ),
        ("Berapa tawanan perang yang ditukar?", "Kalau jenazah?", "Berapa jenazah yang ditukar?"),
        (
            "Siapa Komisioner Hak Asasi Manusia Ukraina?",
            "Kalau Rusia?",
            "Siapa Komisioner Hak Asasi Manusia Rusia?",
        ),
        (
            "Berapa lama gencatan senjata yang diusulkan Ukraina?",
            "Kalau usulan Rusia?",
            "Berapa lama gencatan senjata yang diusulkan Rusia?",
        ),
    ],
)
def test_an_entity_swapped_is_completed(analyzer, tokenizer, previous, message, completed):
    result = follow(analyzer, tokenizer, previous, message)
    assert (result.question, result.reason) == (completed, Reason.ENTITY)


@pytest.mark.parametrize(
    ("previous", "message", "completed"),
    [
        (
            "Berapa jenazah yang dijanjikan Rusia untuk dikembalikan?",
            "Yang belum?",
            "Berapa jenazah yang belum dikembalikan?",
        ),
        (
            "Berapa jenazah yang dijanjikan Rusia untuk dikembalikan?",
            "Yang belum dikembalikan?",
            "Berapa jenazah yang belum dikembalikan?",
        ),
        (
            "How many bodies did Russia promise to return?",
            "And the ones not returned?",
            "How many bodies were not returned?",
        ),
    ],
)
def test_a_modifier_added_is_completed(analyzer, tokenizer, previous, message, completed):
    result = follow(analyzer, tokenizer, previous, message)
    assert (result.question, result.reason) == (completed, Reason.MODIFIER)


@pytest.mark.parametrize(
    ("previous", "message", "completed"),
    [
        ("Kapan pertemuan damai diadakan?", "Di mana?", "Di mana pertemuan damai diadakan?"),
        ("Di mana pertemuan damai diadakan?", "Kapan?", "Kapan pertemuan damai diadakan?"),
        ("Berapa tawanan perang yang ditukar?", "Kapan itu terjadi?", "Kapan tawanan perang ditukar?"),
        ("Where was the peace meeting held?", "When?", "When was the peace meeting held?"),
        (
            "How many prisoners of war were exchanged?",
            "Where did it happen?",
            "Where were prisoners of war exchanged?",
        ),
        (
            "How many bodies did Russia promise to return?",
            "When?",
            "When did Russia promise to return bodies?",
        ),
        ("Who proposed the online working groups?", "Why?", "Why proposed the online working groups?"),
    ],
)
def test_a_question_word_alone_is_completed(analyzer, tokenizer, previous, message, completed):
    result = follow(analyzer, tokenizer, previous, message)
    assert (result.question, result.reason) == (completed, Reason.QUESTION_WORD)


@pytest.mark.parametrize(
    ("previous", "message", "completed"),
    [
        (
            "Berapa kelompok kerja daring yang diusulkan?",
            "Siapa yang mengusulkannya?",
            "Siapa yang mengusulkan kelompok kerja daring?",
        ),
        (
            "Berapa orang anggota delegasi Ukraina di Jenewa?",
            "Kapan mereka tiba?",
            "Kapan anggota delegasi Ukraina di Jenewa tiba?",
        ),
        (
            "How long will the energy ceasefire last?",
            "When does it take effect?",
            "When does the energy ceasefire take effect?",
        ),
        (
            "Who led the Ukrainian delegation in Doha?",
            "Who led it in Vienna?",
            "Who led the Ukrainian delegation in Vienna?",
        ),
        (
            "Kapan pertemuan di Jenewa digelar?",
            "Siapa yang memimpin?",
            "Siapa yang memimpin pertemuan di Jenewa?",
        ),
    ],
)
def test_a_pronoun_or_left_out_subject_is_completed(analyzer, tokenizer, previous, message, completed):
    result = follow(analyzer, tokenizer, previous, message)
    assert (result.question, result.reason) == (completed, Reason.PRONOUN)


def test_a_personal_pronoun_after_a_who_question_is_the_person_answered(analyzer, tokenizer):
    asked = analyzer.analyze("Who chaired the closing session in Vienna?")
    turn = Turn(analysis=asked, language=Language.en, fact="Lukas Brenner")
    result = complete(turn, analyzer.analyze("What did he say?"), tokenizer)
    assert (result.question, result.reason) == ("What did Lukas Brenner say?", Reason.PRONOUN)


@pytest.mark.parametrize(
    ("previous", "message", "completed"),
    [
        (
            "How long will the energy ceasefire last?",
            "Can it be extended?",
            "Can the energy ceasefire be extended?",
        ),
        ("Where will the remains be identified?", "By whom?", "By whom will the remains be identified?"),
    ],
)
def test_a_yes_no_question_with_a_pronoun_and_a_question_word_with_its_preposition(
    analyzer, tokenizer, previous, message, completed
):
    assert follow(analyzer, tokenizer, previous, message).question == completed


@pytest.mark.parametrize(
    "message",
    [
        "Berapa tawanan perang yang ditukar?",
        "Siapa yang memimpin delegasi Ukraina?",
        "Dan berapa tawanan perang yang ditukar?",
        "Kalau boleh tahu, siapa yang menjadi mediator di Doha?",
        "Apa tujuan utama perundingan ini?",
        "Apakah Rusia berjanji mengembalikan jenazah?",
        "Mengapa pertemuan ini penting?",
        "How many prisoners were exchanged?",
        "And who mediated the talks in Doha?",
        "What about the ceasefire proposal Ukraine tabled in Geneva?",
        "Where was the meeting held?",
    ],
)
def test_a_question_that_stands_on_its_own_is_never_merged(analyzer, tokenizer, message):
    result = follow(analyzer, tokenizer, "Siapa yang memimpin delegasi Rusia?", message)
    assert result.question is None and result.reason == Reason.STANDS_ALONE


@pytest.mark.parametrize("message", ["Terima kasih", "halo", "👍", ""])
def test_small_talk_and_empty_messages_are_not_follow_ups(analyzer, tokenizer, message):
    result = follow(analyzer, tokenizer, "Siapa yang memimpin delegasi Rusia?", message)
    assert (result.question, result.reason) == (None, Reason.NOT_A_QUESTION)


def test_without_a_previous_question_nothing_is_completed(analyzer, tokenizer):
    result = complete(None, analyzer.analyze("Kalau Ukraina?"), tokenizer)
    assert (result.question, result.reason) == (None, Reason.NO_CONTEXT)


def test_a_short_follow_up_is_answered_in_the_conversations_language(analyzer, tokenizer):
    assert (
        follow(analyzer, tokenizer, "Who led the Russian delegation?", "Kalau Ukraina?").language
        == Language.en
    )
    assert (
        follow(analyzer, tokenizer, "Who led the Russian delegation?", "Terus Ukraina?").language
        == Language.en
    )


def test_a_follow_up_clearly_in_the_other_language_is_answered_in_it(analyzer, tokenizer):
    english = follow(analyzer, tokenizer, "Siapa yang memimpin delegasi Rusia?", "What about Ukraine?")
    assert (english.question, english.language) == ("Siapa yang memimpin delegasi Ukraine?", Language.en)
    indonesian = follow(analyzer, tokenizer, "Where was the peace meeting held?", "Kapan?")
    assert (indonesian.question, indonesian.language) == ("When was the peace meeting held?", Language.id)


def test_any_mix_of_words_and_symbols_is_completed_or_left_alone_without_error(analyzer, tokenizer):
    """Bad input never crashes: seeded random messages made of the words the rules look at."""
    pieces = [
        "kalau",
        "dan",
        "yang",
        "the",
        "ones",
        "what",
        "about",
        "and",
        "di",
        "mana",
        "kapan",
        "siapa",
        "berapa",
        "it",
        "they",
        "mereka",
        "mengusulkannya",
        "Ukraina",
        "Jenewa",
        "belum",
        "not",
        "returned",
        "?",
        ",",
        ".",
        "!",
        "@",
        "😀",
        "<b>",
        "**",
        "1.200",
        "in",
        "of",
        "why",
        "how",
        "many",
    ]
    rng = random.Random(12)
    previous = [
        "Siapa yang memimpin delegasi Rusia?",
        "How many bodies did Russia promise to return?",
        "?",
        "Yang",
    ]
    for _ in range(300):
        before = rng.choice(previous + [" ".join(rng.choices(pieces, k=rng.randint(1, 8)))])
        message = " ".join(rng.choices(pieces, k=rng.randint(0, 6)))
        result = follow(analyzer, tokenizer, before, message)
        assert result.question is None or result.question.endswith("?")
