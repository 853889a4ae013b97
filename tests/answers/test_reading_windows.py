"""bot.answers.reading without the model: the windows the reader is given (a hit and its neighbours
in the same paragraph), how a span found in a window maps back to one sentence, and the clause a
fact is checked in. Fast; the reader is a stand-in that returns given spans.

(tests/answers/test_reading.py specifies the reading step end to end, over the real model.)
"""

from __future__ import annotations

import pytest

from bot.answers.reading import Window, bracketed, clause_of, clauses, read_windows, windows
from bot.answers.span_reader import Span
from index.models import Hit, Sentence

FIRST = "Pertukaran ini melibatkan 1.200 tawanan perang."
SECOND = "Rusia berjanji mengembalikan 7.000 jenazah."
THIRD = "Kedua pihak sepakat bertemu lagi di Jenewa."


def sentence(id_: int, text: str, article: str = "a", paragraph: int = 1) -> Sentence:
    return Sentence(
        id=id_, article_id=article, title="Judul", paragraph=paragraph, start=0, end=len(text), text=text
    )


@pytest.fixture
def window() -> Window:
    return Window(sentences=[sentence(0, FIRST), sentence(1, SECOND), sentence(2, THIRD)], score=0.9)


def span_of(window: Window, text: str, margin: float = 1.0) -> Span:
    start = window.text.index(text)
    return Span(passage=0, start=start, end=start + len(text), margin=margin)


class StandIn:
    """A reader that returns the spans it was given, and records what it was asked."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self.passages: list[str] = []

    def read(self, question: str, passages: list[str]) -> list[Span]:
        self.passages = passages
        return self.spans


# --- windows -----------------------------------------------------------------------------------


def test_a_window_is_its_sentences_joined_by_spaces(window):
    assert window.text == f"{FIRST} {SECOND} {THIRD}"


SENTENCES = [
    sentence(0, "A0."),
    sentence(1, "A1."),
    sentence(2, "A2."),
    sentence(3, "A3, next paragraph.", paragraph=2),
    sentence(4, "B0.", article="b"),
]


def window_ids(hits: list[int], **limits: int) -> list[list[int]]:
    found = windows(
        [Hit(sentence=SENTENCES[i], score=1.0 - n / 10) for n, i in enumerate(hits)], SENTENCES, **limits
    )
    return [[s.id for s in w.sentences] for w in found]


@pytest.mark.parametrize(("hit", "ids"), [(1, [0, 1, 2]), (2, [1, 2]), (3, [3]), (4, [4])])
def test_neighbours_come_from_the_same_article_and_paragraph_only(hit, ids):
    assert window_ids([hit], neighbours_of=1) == [ids]


def test_a_hit_inside_an_earlier_window_is_not_read_again():
    assert window_ids([1, 0, 2, 3], limit=4, neighbours_of=1) == [[0, 1, 2], [3]]


def test_only_the_first_hits_get_their_neighbours():
    assert window_ids([0, 2], neighbours_of=1) == [[0, 1], [2]]


def test_only_the_best_hits_are_read():
    sentences = [sentence(i, f"S{i}.", paragraph=i) for i in range(5)]
    hits = [Hit(sentence=s, score=1.0) for s in sentences]
    assert [w.sentences[0].id for w in windows(hits, sentences, limit=2)] == [0, 1]


# --- a span back in its sentence -------------------------------------------------------------------


def test_a_span_in_the_middle_sentence_maps_to_it_with_its_own_offsets(window):
    found, start, end = window.locate(span_of(window, "7.000 jenazah"))
    assert found.id == 1 and (start, end) == (
        SECOND.index("7.000"),
        SECOND.index("7.000") + len("7.000 jenazah"),
    )


def test_a_span_in_the_last_sentence_maps_to_it(window):
    found, start, end = window.locate(span_of(window, "Jenewa"))
    assert found.id == 2 and THIRD[start:end] == "Jenewa"


def test_a_span_running_into_the_next_sentence_is_cut_at_its_sentence_end(window):
    found, start, end = window.locate(span_of(window, "1.200 tawanan perang. Rusia"))
    assert found.id == 0 and FIRST[start:end] == "1.200 tawanan perang."


def test_a_span_starting_at_the_space_before_a_sentence_maps_to_that_sentence(window):
    start = len(FIRST)  # the token "▁Rusia" starts at the joining space
    found, a, b = window.locate(Span(passage=0, start=start, end=start + len(" Rusia"), margin=1.0))
    assert found.id == 1 and SECOND[a:b] == "Rusia"


# --- read_windows ------------------------------------------------------------------------------------


def test_read_windows_gives_the_span_as_a_candidate_of_its_sentence(window):
    reader = StandIn([span_of(window, "7.000 jenazah", margin=2.5)])
    (candidate,) = read_windows(reader, "Berapa jenazah?", [window])
    assert reader.passages == [window.text]
    assert (candidate.text, candidate.sentence_id, candidate.score) == (
        "7.000 jenazah",
        1,
        2.5,
    ) and candidate.is_fact
    assert SECOND[candidate.start : candidate.end] == "7.000 jenazah"


def test_a_span_found_through_two_windows_is_one_candidate_with_the_higher_margin(window):
    other = Window(sentences=window.sentences[1:], score=0.8)
    spans = [span_of(window, "7.000 jenazah", margin=1.0), span_of(other, "7.000 jenazah", margin=3.0)]
    spans[1] = spans[1].model_copy(update={"passage": 1})
    assert [(c.text, c.score) for c in read_windows(StandIn(spans), "q", [window, other])] == [
        ("7.000 jenazah", 3.0)
    ]


def test_candidates_come_best_margin_first(window):
    spans = [span_of(window, "1.200 tawanan", margin=0.5), span_of(window, "Jenewa", margin=4.0)]
    assert [c.text for c in read_windows(StandIn(spans), "q", [window])] == ["Jenewa", "1.200 tawanan"]


def test_a_candidate_does_not_start_with_the_space_before_its_first_word(window):
    start = window.text.index(" 1.200")  # the token "▁1.200" starts at the space before it
    span = Span(passage=0, start=start, end=start + len(" 1.200 tawanan"), margin=1.0)
    (candidate,) = read_windows(StandIn([span]), "q", [window])
    assert candidate.text == "1.200 tawanan" and FIRST[candidate.start : candidate.end] == "1.200 tawanan"


# --- clauses -------------------------------------------------------------------------------------------


def test_clauses_break_before_sementara_and_after_a_comma_before_dan():
    text = "Delegasi Rusia dipimpin oleh A, sementara delegasi Ukraina diwakili oleh B."
    assert [text[a:b].strip(" ,.") for a, b in clauses(text)] == [
        "Delegasi Rusia dipimpin oleh A",
        "sementara delegasi Ukraina diwakili oleh B",
    ]


def test_clauses_break_at_semicolons_and_colons():
    text = "Tujuan utamanya jelas: mengakhiri perang; gencatan senjata menyusul."
    assert [text[a:b].strip(" ;:.") for a, b in clauses(text)] == [
        "Tujuan utamanya jelas",
        "mengakhiri perang",
        "gencatan senjata menyusul",
    ]


def test_the_clause_of_an_offset_is_the_clause_it_falls_in():
    text = "Delegasi Rusia dipimpin oleh A, sementara delegasi Ukraina diwakili oleh B."
    assert text[slice(*clause_of(text, text.index("B")))].startswith("sementara")
    assert clause_of(text, 0) == clauses(text)[0]


def test_by_default_the_best_hits_are_read_as_sentences_alone():
    assert window_ids([1, 3]) == [[1], [3]]


def test_an_attribution_after_the_fact_is_a_clause_of_its_own() -> None:
    sentence = (
        "Dalam pertukaran terbaru, 3.000 tawanan perang dibebaskan, "
        "menurut seorang pejabat yang tidak bersedia disebut namanya."
    )
    start, end = clause_of(sentence, sentence.index("3.000"))
    assert "3.000" in sentence[start:end] and "tidak" not in sentence[start:end]


def _bracketed(text: str, span: str) -> str:
    start = text.index(span)
    a, b = bracketed(text, start, start + len(span))
    return text[a:b]


def test_a_bracket_a_span_opens_or_closes_alone_is_left_out():
    assert _bracketed("Pelantikan itu digelar Kamis (11/8) di Blora.", "(11/8") == "11/8"
    assert _bracketed("Yves Chauvin (74) menerima Nobel.", "74)") == "74"


def test_an_abbreviation_a_span_leaves_open_is_closed():
    text = "Iran dipojokkan Badan Tenaga Atom Internasional (IAEA) di Wina."
    assert (
        _bracketed(text, "Badan Tenaga Atom Internasional (IAEA") == "Badan Tenaga Atom Internasional (IAEA)"
    )


def test_a_long_aside_a_span_leaves_open_is_cut_off():
    text = "Serial itu tayang enam musim (234 episode dalam delapan tahun siaran) di televisi."
    assert _bracketed(text, "enam musim (234 episode") == "enam musim"
