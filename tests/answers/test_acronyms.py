"""Acronyms of the names a text writes out."""

from bot.answers.acronyms import acronyms, is_acronym


def test_the_initials_of_a_run_of_capitalized_words_are_its_acronym():
    assert "IAEA" in acronyms("the International Atomic Energy Agency said".split())


def test_connectors_inside_a_name_give_no_letter():
    assert "OPEC" in acronyms("the Organization of the Petroleum Exporting Countries met".split())


def test_a_part_of_a_longer_run_gives_its_acronym_too():
    assert "BPS" in acronyms("Direktur Badan Pusat Statistik berkata".split())


def test_a_lowercase_word_ends_the_run():
    assert "IAE" not in acronyms("International atomic Energy".split())


def test_an_acronym_is_a_short_word_of_capital_letters():
    assert is_acronym("IAEA") and is_acronym("PBB")
    assert not is_acronym("Iaea") and not is_acronym("G20") and not is_acronym("A")
