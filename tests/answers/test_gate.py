"""The gate's vocabulary: which names and numbers of a question the articles mention."""

import numpy as np

from bot.answers.gate import AnswerGate, Vocabulary

ARTICLE = ["Delegasi Ukraina bertemu delegasi Rusia di Istanbul.", "Hal itu telah disepakati, 1.200 tawanan."]


def test_names_spelled_alike_across_languages_are_mentioned():
    vocabulary = Vocabulary(ARTICLE)
    assert vocabulary.mentions("Ukraine") and vocabulary.mentions("Russia")


def test_a_name_is_not_matched_to_a_common_word_spelled_alike():
    assert not Vocabulary(ARTICLE).mentions("Tesla")  # close to "telah", which is no name


def test_numbers_match_across_thousands_separators_only_exactly():
    vocabulary = Vocabulary(ARTICLE)
    assert vocabulary.mentions("1,200") and vocabulary.mentions("1200")
    assert not vocabulary.mentions("1.300")


def test_a_word_written_beside_a_name_the_articles_have_is_part_of_that_name():
    gate = AnswerGate(
        Vocabulary(["Begitu kontrak dengan Malta berakhir, EMI dan Radja bernegosiasi."]), np.zeros((0, 4))
    )
    assert gate.unknown_names("Kapan kontrak Grup Radja dengan Malta berakhir?") == []


def test_a_name_beside_only_dictionary_words_is_still_unknown():
    gate = AnswerGate(Vocabulary(["Kepala kebun itu berkata, luasnya 125 hektar."]), np.zeros((0, 4)))
    assert gate.unknown_names("Berapa luas Kepala Kebun Cibodas?") == ["Cibodas"]
