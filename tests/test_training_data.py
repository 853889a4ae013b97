"""The reader's training examples: the no-answer copies made by swapping a question's name."""

import random

from training.data import swap_name

PASSAGE = "Delegasi Rusia dipimpin oleh Arkady Belov dalam perundingan di Istanbul pada 23 Juli 2027."


def test_a_name_the_passage_holds_is_swapped_for_one_it_lacks() -> None:
    swapped = swap_name(
        "Siapa yang memimpin delegasi di Istanbul?", PASSAGE, ["Doha", "Istanbul"], random.Random(1)
    )
    assert swapped == "Siapa yang memimpin delegasi di Doha?"


def test_a_number_is_swapped_only_for_a_number() -> None:
    swapped = swap_name("Apa yang terjadi pada tahun 2027?", PASSAGE, ["Doha", "1998"], random.Random(1))
    assert swapped == "Apa yang terjadi pada tahun 1998?"


def test_a_question_without_a_name_the_passage_holds_gives_nothing() -> None:
    assert swap_name("Siapa yang memimpin delegasi di Jenewa?", PASSAGE, ["Doha"], random.Random(1)) is None


def test_a_word_the_passage_writes_in_lower_case_is_no_name() -> None:
    passage = "The grand prix ends in Suzuka."
    assert swap_name("When is the last Grand prix?", passage, ["Udara"], random.Random(1)) is None


def test_a_number_inside_a_date_is_left_alone() -> None:
    passage = "Pesawat jatuh di Medan, Senin (5/9) lalu."
    assert swap_name("Pesawat apa yang jatuh pada (5/9)?", passage, ["12", "1998"], random.Random(1)) is None
