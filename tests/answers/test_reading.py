"""The reading step, as the issue specifies it: the right fact of the sentence in bold, or an
honest "the articles don't say" (partial), never a wrong fact stated as the answer.

Over the real model and index: the seed article alone (`service`), and the seed with the later
rounds in tests/data/articles (`corpus_service`).
"""

from __future__ import annotations

import pytest

from bot.answers.answer import Answer, AnswerKind, Outcome
from bot.answers.render import render_html
from tests.fake_telegram.html_check import parse_html

# The trained reader misses these today (issue 17 stays open on its targets); strict, so a reader
# that gets them right turns the suite red until the marker goes.
KNOWN_MISS = pytest.mark.xfail(
    strict=True, reason="the trained reader does not read this right yet (issue 17)"
)


@pytest.fixture(scope="module")
def ask(service):
    return service.answer


@pytest.fixture(scope="module")
def ask_corpus(corpus_service):
    return corpus_service.answer


def bold_texts(answer: Answer) -> list[str]:
    """What the person in the chat sees in bold (Telegram HTML, checked like Telegram does)."""
    html = render_html(answer)
    parse_html(html)
    return [part.split("</b>")[0] for part in html.split("<b>")[1:]]


# --- the examples ------------------------------------------------------------------------


@KNOWN_MISS
def test_who_leads_ukraines_delegation_is_read_from_the_clause_about_ukraine(ask):
    answer = ask("siapa yang memimpin delegasi ukraina?")
    assert answer.outcome == Outcome.ANSWERED
    assert answer.stated_fact == "Sekretaris Dewan Keamanan dan Pertahanan Nasional"


def test_who_leads_russias_delegation_is_read_from_the_clause_about_russia(ask):
    assert ask("Siapa yang memimpin delegasi Rusia?").stated_fact == "Ajudan Kepresidenan"


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("How many bodies has Russia not returned yet?", marks=KNOWN_MISS),
        "Berapa jenazah yang belum dikembalikan Rusia?",
    ],
)
def test_not_returned_yet_picks_the_bodies_not_yet_returned(ask, question):
    assert stated_count(ask(question)) == "3.000"


def test_bodies_returned_without_negation_picks_the_returned_ones(ask):
    assert stated_count(ask("Berapa jenazah yang dijanjikan Rusia untuk dikembalikan?")) == "7.000"


def stated_count(answer: Answer) -> str:
    """The number that begins the stated fact: "3.000" of "3.000 jenazah" and of "3.000". Whether the
    span ends before or after its noun differs by CPU (docs/reader.md, "Figures differ by CPU")."""
    return answer.stated_fact.split(" ", 1)[0]


@pytest.mark.parametrize(
    "question",
    [
        "Berapa korban sipil dalam perang ini?",
        "Berapa tentara Rusia yang tewas?",
        "How many Russian soldiers died?",
        pytest.param("Kapan perang dimulai?", marks=KNOWN_MISS),
        "When did the war start?",
        "How many tanks were destroyed?",
        "Berapa lama pertemuan di Istanbul berlangsung?",
    ],
)
def test_on_topic_question_the_articles_cannot_answer_states_no_fact(ask, question):
    answer = ask(question)
    assert answer.outcome in (Outcome.PARTIAL, Outcome.DECLINED)
    assert answer.stated_fact == "" and bold_texts(answer) == []


@pytest.mark.parametrize(
    "question",
    [
        "Berapa kota yang direbut oleh Rusia?",
        "How many Ukrainian prisoners were injured?",
        "Berapa jumlah tentara Rusia yang masih ditahan Ukraina?",
    ],
)
def test_an_amount_of_another_noun_is_not_stated_for_a_how_many_question(ask_corpus, question):
    # "7.000 jenazah tentara Ukraina" counts bodies, "12 warga sipil" civilians: neither answers
    answer = ask_corpus(question)
    assert answer.outcome != Outcome.ANSWERED and not bold_texts(answer), answer.stated_fact


def test_partial_reply_says_what_is_missing_and_quotes_what_the_article_gives(ask):
    answer = ask("Berapa korban sipil dalam perang ini?")
    assert answer.kind == AnswerKind.PARTIAL and answer.mentioned is None  # the reader stated nothing
    text = parse_html(render_html(answer)).text
    assert text.startswith("Artikel tidak menyebut jumlah korban sipil dalam perang. Yang disebut artikel:")
    assert f"“{answer.quotes[0].text}”" in text and "paragraf" in text


def test_partial_reply_in_english_for_an_english_question(ask):
    answer = ask("How many tanks were destroyed?")
    if answer.kind == AnswerKind.PARTIAL:
        assert parse_html(render_html(answer)).text.startswith("The articles do not say")
    else:
        assert answer.kind == AnswerKind.NOT_FOUND


@KNOWN_MISS  # 7.000 is not stated, but as the reader's margin is too low, not through the modifier check
def test_a_modifier_that_contradicts_the_question_is_not_stated(ask):
    # "7.000 jenazah tentara Ukraina" is about Ukraine's soldiers, not Russia's.
    answer = ask("Berapa tentara Rusia yang tewas?")
    assert "7.000" not in answer.stated_fact
    assert answer.kind == AnswerKind.PARTIAL and answer.mentioned and "7.000" in answer.mentioned


@KNOWN_MISS  # answered "Vienna", where a working group was created, from the newer Doha report
def test_the_next_meeting_is_the_one_the_newest_report_announcing_it_names(ask_corpus):
    # Geneva (September) announced Vienna; Vienna (November) announced Doha; Doha announced none.
    for question in ("Di mana pertemuan berikutnya akan digelar?", "Where will the next meeting be held?"):
        assert ask_corpus(question).stated_fact == "Doha, Qatar"


@KNOWN_MISS
def test_a_duration_is_a_length_of_time_not_a_time_told_from_another(ask_corpus):
    # The Geneva article has "dua bulan setelah pertemuan di Istanbul" and "selama tiga hari". The
    # reader prefers "sepuluh hari" of another sentence; this passed only while that span was read as
    # the word piece "puluh hari", which the counted check refused (spans are whole words now).
    assert ask_corpus("Berapa lama perundingan di Jenewa berlangsung?").stated_fact == "tiga hari"


def test_who_holds_an_office_gets_the_name_not_the_office(ask_corpus):
    assert ask_corpus("Siapa Menteri Luar Negeri Swiss?").stated_fact == "Martina Aebi"


@KNOWN_MISS
def test_an_aide_of_the_president_is_not_the_president(ask_corpus):
    for question in ("Siapa presiden Ukraina?", "Who is the president of Russia?"):
        assert ask_corpus(question).stated_fact == ""


@KNOWN_MISS
def test_a_list_is_answered_whole(ask):
    assert (
        ask("Kelompok kerja apa saja yang diusulkan Rusia?").stated_fact
        == "politik, kemanusiaan, dan militer"
    )


@KNOWN_MISS
def test_a_place_named_in_the_title_places_the_fact(ask_corpus):
    # "di Jenewa" is in the Geneva article's title and first paragraph, not in the sentence.
    assert (
        ask_corpus("Siapa yang memimpin delegasi Rusia di Jenewa?").stated_fact
        == "Ajudan Kepresidenan Arkady Belov"
    )


def test_a_question_naming_a_place_quotes_first_the_article_that_names_it(ask_corpus):
    # Three reports say who led Russia's delegation; better-ranked sentences come from the
    # Geneva and Vienna reports, which do not name Doha.
    answer = ask_corpus("Siapa yang memimpin delegasi Rusia di Doha?")
    assert answer.quotes and "Doha" in answer.quotes[0].title


def test_english_question_over_an_english_article(ask_corpus):
    assert ask_corpus("How many observers will monitor the ceasefire?").stated_fact in ("40", "40 observers")


# --- bad input: one of the three outcomes, valid HTML, no exception --------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Istanbul?",
        "Berapa tawanan perang yang ditukar? Siapa yang memimpin delegasi Rusia?",
        "Berapa jenazah yang belum dikembalikan?",
        "How many bodies have not been returned yet?",
        "yang belum",
        "not yet",
        " ".join(["Pertemuan damai di Istanbul membahas pertukaran tawanan dan jenazah."] * 12),
    ],
)
def test_bad_input_gets_one_of_three_outcomes_in_valid_html(ask_corpus, question):
    answer = ask_corpus(question)
    assert answer.outcome in (Outcome.ANSWERED, Outcome.PARTIAL, Outcome.DECLINED)
    bold = bold_texts(answer)
    if answer.outcome != Outcome.ANSWERED:
        assert bold == []


def test_bm25_finds_an_indonesian_sentence_for_an_english_question_through_translations(corpus_service):
    from index.search import SearchMode

    answerer = corpus_service.answerer
    analysis = answerer.analyze("How many working groups did Russia propose in Istanbul?")
    top = answerer.ranked_hits(analysis, mode=SearchMode.LEXICAL, reranked=False)[:3]
    assert any("mengusulkan pembentukan tiga kelompok kerja" in hit.sentence.text for hit in top)
