"""One answer, two renderings: Telegram HTML (escaped, valid, within the limit) and plain text."""

from __future__ import annotations

import re

import pytest

from bot.answers.answer import Answer, AnswerKind, Quote
from bot.answers.question import Language, QuestionType, SmallTalk
from bot.answers.render import TELEGRAM_LIMIT, answer_lines, render_html, render_plain
from tests.fake_telegram.html_check import ParsedText, parse_html, utf16_len

SENTENCE = "Pertukaran ini melibatkan 1.200 tawanan perang, sebuah langkah signifikan."
FACT = "1.200 tawanan perang"
TITLE = "Pertemuan damai Rusia dan Ukraina di Istanbul"
SUGGESTIONS = ["Berapa tawanan perang yang ditukar?", "Siapa yang memimpin delegasi Rusia?"]


def quote(text: str = SENTENCE, fact: str | None = FACT, **fields) -> Quote:
    start = text.index(fact) if fact else None
    values = {"article": "000_seed", "title": TITLE, "paragraph": 4, "score": 0.93}
    values.update(fields)
    highlight = (start, start + len(fact)) if fact else None
    return Quote(text=text, highlight=highlight, **values)


def answer(quotes: list[Quote] | None = None, fact: str | None = FACT, **fields) -> Answer:
    values = {
        "question": "Berapa tawanan perang yang ditukar?",
        "language": Language.id,
        "kind": AnswerKind.ANSWER,
        "question_type": QuestionType.how_many,
        "fact": fact,
        "quotes": [quote()] if quotes is None else quotes,
    }
    values.update(fields)
    return Answer(**values)


def entity_texts(parsed: ParsedText, kind: str) -> list[str]:
    """The visible text under each entity of a kind (offsets are UTF-16 code units)."""
    encoded = parsed.text.encode("utf-16-le")
    return [
        encoded[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in parsed.entities
        if e["type"] == kind
    ]


def assert_valid_for_telegram(html: str) -> ParsedText:
    parsed = parse_html(html)  # raises EntityParseError where Telegram would answer 400
    assert 0 < utf16_len(parsed.text) <= TELEGRAM_LIMIT
    return parsed


EVERY_KIND = {
    "answer_id": answer(),
    "answer_en": answer(language=Language.en, question="How many prisoners of war were exchanged?"),
    "answer_without_fact": answer(quotes=[quote(fact=None)], fact=None, question_type=QuestionType.what),
    "answer_two_quotes": answer(
        quotes=[quote(), quote("Fakta menarik: 7.000 jenazah.", "7.000 jenazah", paragraph=5)]
    ),
    "answer_with_link": answer(quotes=[quote(url="https://example.com/a?x=1&y=2")]),
    "not_found": answer(quotes=[], fact=None, kind=AnswerKind.NOT_FOUND, suggestions=SUGGESTIONS),
    "not_found_en": answer(quotes=[], fact=None, kind=AnswerKind.NOT_FOUND, language=Language.en),
    "empty": answer(question="", quotes=[], fact=None, kind=AnswerKind.EMPTY, suggestions=SUGGESTIONS),
    "unavailable": answer(quotes=[], fact=None, kind=AnswerKind.UNAVAILABLE),
    "question_cut": answer(question="x" * 500, question_cut=True),
    "other_language": answer(language=Language.other, other_language="French", question="Qui a dirigé ?"),
    **{
        f"small_talk_{kind.value}_{lang.value}": answer(
            quotes=[],
            fact=None,
            kind=AnswerKind.SMALL_TALK,
            small_talk=kind,
            language=lang,
            suggestions=SUGGESTIONS,
        )
        for kind in SmallTalk
        for lang in (Language.id, Language.en)
    },
}


@pytest.mark.parametrize("case", EVERY_KIND.values(), ids=EVERY_KIND.keys())
def test_every_kind_renders_valid_telegram_html_within_the_limit(case):
    assert_valid_for_telegram(render_html(case))


@pytest.mark.parametrize("case", EVERY_KIND.values(), ids=EVERY_KIND.keys())
def test_both_renderings_come_from_the_same_lines(case):
    visible = parse_html(render_html(case)).text
    lines = answer_lines(case)
    assert visible == "\n".join("".join(segment[0] for segment in line) for line in lines)
    assert render_plain(case).replace("*", "") == visible


@pytest.mark.parametrize("case", EVERY_KIND.values(), ids=EVERY_KIND.keys())
def test_plain_text_has_no_tags_or_entities(case):
    plain = render_plain(case)
    assert not re.search(r"</?(?:b|i|a)\b", plain)
    assert "&amp;" not in plain and "&lt;" not in plain


def test_html_escapes_markup_in_a_quote():
    text = "Harga naik <5% & tetap stabil di <b>Istanbul</b>."
    rendered = render_html(answer(quotes=[quote(text, fact=None)], fact=None))
    assert "&lt;5% &amp; tetap stabil di &lt;b&gt;Istanbul&lt;/b&gt;." in rendered
    parsed = assert_valid_for_telegram(rendered)
    assert text in parsed.text  # the user sees the sentence exactly as written
    assert entity_texts(parsed, "bold") == []  # the article's "<b>" is text, not formatting


def test_plain_keeps_markup_of_a_quote_as_written():
    text = "Harga naik <5% & tetap stabil."
    assert text in render_plain(answer(quotes=[quote(text, fact=None)], fact=None))


def test_html_escapes_markup_in_suggestions_and_titles():
    case = answer(
        quotes=[quote(title="Damai <sekarang> & nanti")],
        suggestions=["<script>alert(1)</script> & lagi?"],
    )
    parsed = assert_valid_for_telegram(render_html(case))
    assert "Damai <sekarang> & nanti" in parsed.text
    not_found = answer(
        quotes=[], fact=None, kind=AnswerKind.NOT_FOUND, suggestions=["<script>x</script> & y?"]
    )
    assert "<script>x</script> & y?" in assert_valid_for_telegram(render_html(not_found)).text


@pytest.mark.parametrize(
    "question",
    [
        "<b>Siapa</b> memimpin? & <script>",
        "**Siapa** memimpin _delegasi_?",
        "a < b && c > d",
        "&amp; &#0; &nbsp;",
    ],
)
def test_markup_in_a_question_never_breaks_the_html(question):
    for kind in (AnswerKind.ANSWER, AnswerKind.NOT_FOUND, AnswerKind.EMPTY):
        case = answer(question=question, kind=kind, question_cut=True)
        parsed = assert_valid_for_telegram(render_html(case))
        assert {e["type"] for e in parsed.entities} <= {"bold", "italic", "text_link"}


def test_fact_leads_the_answer_in_bold():
    parsed = assert_valid_for_telegram(render_html(answer()))
    first_line = parsed.text.split("\n")[0]
    assert first_line == f"Jumlahnya: {FACT}"
    assert entity_texts(parsed, "bold")[0] == FACT


def test_highlight_is_wrapped_in_b_inside_the_quote():
    rendered = render_html(answer())
    assert f"“Pertukaran ini melibatkan <b>{FACT}</b>, sebuah langkah signifikan.”" in rendered.split("\n")


def test_quote_is_word_for_word_between_quotation_marks():
    plain = render_plain(answer(quotes=[quote(fact=None)], fact=None, question_type=QuestionType.what))
    assert f"“{SENTENCE}”" in plain.split("\n")


def test_plain_marks_the_highlight_with_asterisks():
    assert f"*{FACT}*" in render_plain(answer()).split("\n")[2]


def test_source_line_names_title_and_paragraph():
    assert f"— {TITLE}, paragraf 4" in render_plain(answer()).split("\n")
    assert f"<i>— {TITLE}, paragraf 4</i>" in render_html(answer()).split("\n")
    assert f"— {TITLE}, paragraph 4" in render_plain(answer(language=Language.en)).split("\n")


def test_source_links_to_the_article_when_it_has_a_url():
    url = "https://example.com/berita?id=1&hal=2"
    rendered = render_html(answer(quotes=[quote(url=url)]))
    assert '<a href="https://example.com/berita?id=1&amp;hal=2">' in rendered
    links = [e for e in assert_valid_for_telegram(rendered).entities if e["type"] == "text_link"]
    assert [link["url"] for link in links] == [url]


def test_source_has_no_link_without_a_url():
    assert "<a " not in render_html(answer())


def test_english_reply_uses_english_template_and_keeps_the_quote_indonesian():
    plain = render_plain(answer(language=Language.en))
    assert plain.startswith(f"How many: *{FACT}*")
    assert "Pertukaran ini melibatkan" in plain


def test_answer_without_fact_opens_with_according_to():
    case = answer(quotes=[quote(fact=None)], fact=None, question_type=QuestionType.why)
    assert render_plain(case).startswith("Menurut artikel:")
    assert render_plain(case.model_copy(update={"language": Language.en})).startswith(
        "According to the article"
    )


def test_two_quotes_are_rendered_in_the_answers_order_each_with_its_source():
    second = quote("Fakta menarik: 7.000 jenazah.", "7.000 jenazah", paragraph=5)
    plain = render_plain(answer(quotes=[quote(), second]))
    assert plain.index("1.200") < plain.index("7.000")
    assert plain.count(f"— {TITLE}, paragraf") == 2


def test_not_found_lists_suggestions():
    plain = render_plain(answer(quotes=[], fact=None, kind=AnswerKind.NOT_FOUND, suggestions=SUGGESTIONS))
    assert plain.startswith("Maaf")
    assert all(f"• {s}" in plain for s in SUGGESTIONS)


def test_longest_possible_answer_stays_within_telegrams_limit():
    # Sentences are cut at 1,000 characters (index.sentences.MAX_SENTENCE_CHARS); two are quoted at most.
    long_sentence = ("Kata & <kata> " * 80)[:990] + " 1.200 orang."
    quotes = [
        quote(long_sentence, "1.200 orang", title="Judul " * 30, url="https://example.com/" + "x" * 200)
    ] * 2
    case = answer(
        quotes=quotes, fact="1.200 orang", question_cut=True, language=Language.other, other_language="French"
    )
    assert_valid_for_telegram(render_html(case))


def test_a_completed_follow_up_shows_its_reading_first_in_one_italic_line():
    read = answer(read_as="Siapa yang memimpin delegasi Ukraina?")
    assert render_html(read).startswith("<i>Saya membaca: Siapa yang memimpin delegasi Ukraina?</i>\n\n")
    english = answer(read_as="Who led the Ukraine delegation?", language=Language.en)
    assert render_plain(english).startswith("I read this as: Who led the Ukraine delegation?\n\n")
    assert "membaca" not in render_plain(answer()) and "read this as" not in render_plain(answer())
