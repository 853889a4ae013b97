"""Specification of index.ingest: articles into paragraphs and sentences, with offsets and headings."""

from __future__ import annotations

from pathlib import Path

from index.articles import read_article
from index.ingest import split_article, split_articles
from index.models import Article, ArticleMeta
from index.sentences import MAX_SENTENCE_CHARS
from tests.conftest import SEED_ID, SEEDS

SEED = SEEDS / f"{SEED_ID}.txt"


def article(text: str, id: str = "a", title: str = "Judul", url: str | None = None) -> Article:
    return Article(
        id=id, path=f"{id}.txt", title=title, meta=ArticleMeta(url=url), sha256="0" * 64, text=text
    )


# --- the seed article -------------------------------------------------------------------------------


def test_seed_splits_into_20_sentences_in_8_text_paragraphs():
    passages = split_article(read_article(SEED))
    text_paragraphs = [p for p in passages.paragraphs if not p.is_heading]
    assert len(passages.sentences) == 20
    assert len(text_paragraphs) == 8
    assert {s.paragraph for s in passages.sentences} == {p.number for p in text_paragraphs}


def test_seed_has_two_headings_that_head_the_sentences_after_them():
    passages = split_article(read_article(SEED))
    headings = [p.text for p in passages.paragraphs if p.is_heading]
    assert headings == ["Pertemuan Diplomatik antara Rusia dan Ukraina", "Strategi untuk Mencapai Damai"]
    by_paragraph = {s.paragraph: s.heading for s in passages.sentences}
    assert by_paragraph[1] is None
    assert by_paragraph[4] == "Pertemuan Diplomatik antara Rusia dan Ukraina"
    assert by_paragraph[10] == "Strategi untuk Mencapai Damai"


def test_seed_sentence_about_prisoners_is_whole():
    texts = [s.text for s in split_article(read_article(SEED)).sentences]
    assert (
        "Pertukaran ini melibatkan 1.200 tawanan perang, sebuah langkah signifikan yang dapat membuka "
        "peluang lebih lanjut untuk negosiasi." in texts
    )


def test_sentences_carry_the_article_title_id_and_url():
    passages = split_article(article("Satu kalimat.", id="x", title="Judul X", url="https://example.org/x"))
    (sentence,) = passages.sentences
    assert (sentence.article_id, sentence.title, sentence.url) == ("x", "Judul X", "https://example.org/x")


# --- headings -----------------------------------------------------------------------------------


def test_heading_paragraphs_produce_no_sentences():
    passages = split_article(article("Latar Belakang\nIsi pertama. Isi kedua."))
    assert [s.text for s in passages.sentences] == ["Isi pertama.", "Isi kedua."]
    assert passages.paragraphs[0].is_heading
    assert all(s.paragraph == 2 for s in passages.sentences)


def test_heading_is_the_context_of_every_sentence_until_the_next_heading():
    text = "Pembuka tanpa judul.\n## Bagian Satu\nKalimat satu.\nKalimat dua.\n## Bagian Dua\nKalimat tiga."
    headings = [(s.text, s.heading) for s in split_article(article(text)).sentences]
    assert headings == [
        ("Pembuka tanpa judul.", None),
        ("Kalimat satu.", "Bagian Satu"),
        ("Kalimat dua.", "Bagian Satu"),
        ("Kalimat tiga.", "Bagian Dua"),
    ]


def test_heading_text_has_no_markdown_marks():
    text = "**Latar Belakang**\nKalimat satu.\n## Jalan Damai ##\nKalimat dua."
    passages = split_article(article(text))
    assert [s.heading for s in passages.sentences] == ["Latar Belakang", "Jalan Damai"]
    assert [p.heading for p in passages.paragraphs if p.is_heading] == ["Latar Belakang", "Jalan Damai"]


# --- offsets ----------------------------------------------------------------------------------------


def test_sentence_offsets_point_into_the_seed_text_exactly():
    seed = read_article(SEED)
    for sentence in split_article(seed).sentences:
        assert seed.text[sentence.start : sentence.end] == sentence.text


def test_offsets_point_into_the_file_text_with_crlf_and_a_bom(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeff# Judul\r\n\r\n  Kalimat satu. Kalimat dua?\r\nKalimat tiga!\r\n".encode())
    with open(path, encoding="utf-8-sig", newline="") as handle:
        file_text = handle.read()
    passages = split_article(read_article(path))
    assert [s.text for s in passages.sentences] == ["Kalimat satu.", "Kalimat dua?", "Kalimat tiga!"]
    for sentence in passages.sentences:
        assert file_text[sentence.start : sentence.end] == sentence.text
    for paragraph in passages.paragraphs:
        assert file_text[paragraph.start : paragraph.end] == paragraph.text


def test_paragraph_numbers_count_headings_too():
    passages = split_article(article("Judul Bagian\nSatu.\n\nDua."))
    assert [(p.number, p.is_heading) for p in passages.paragraphs] == [(1, True), (2, False), (3, False)]
    assert [s.paragraph for s in passages.sentences] == [2, 3]


# --- several articles ---------------------------------------------------------------------------------


def test_sentence_ids_are_consecutive_across_articles():
    articles = [
        article("Satu. Dua.", id="a"),
        article("Judul\nTiga. Empat. Lima.", id="b"),
        article("Enam.", id="c"),
    ]
    passages = split_articles(articles)
    assert [s.id for s in passages.sentences] == list(range(6))
    assert [s.article_id for s in passages.sentences] == ["a", "a", "b", "b", "b", "c"]


def test_first_sentence_id_offsets_the_numbering():
    passages = split_article(article("Satu. Dua."), first_sentence_id=7)
    assert [s.id for s in passages.sentences] == [7, 8]


# --- bad input --------------------------------------------------------------------------------------


def test_very_long_paragraph_yields_sentences_of_at_most_1000_characters():
    words = " ".join(f"kata{i}" for i in range(3000))  # ~25,000 characters, no punctuation
    text = f"Pembuka.\n{words}\nPenutup."
    passages = split_article(article(text))
    assert max(len(s.text) for s in passages.sentences) <= MAX_SENTENCE_CHARS == 1000
    long_paragraph = [s.text for s in passages.sentences if s.paragraph == 2]
    assert " ".join(long_paragraph) == words  # cut at whitespace, nothing lost
    assert [s.id for s in passages.sentences] == list(range(len(passages.sentences)))


def test_a_single_token_longer_than_the_limit_is_cut_into_pieces():
    token = "x" * 2500
    passages = split_article(article(f"Awal. {token} Akhir."))
    assert [len(s.text) for s in passages.sentences] == [5, 1000, 1000, 500, 6]


def test_article_of_only_headings_has_paragraphs_but_no_sentences():
    passages = split_article(article("Judul Satu\n## Judul Dua"))
    assert passages.sentences == []
    assert all(p.is_heading for p in passages.paragraphs)


def test_long_paragraph_file_is_read_and_split(tmp_path: Path):
    path = tmp_path / "panjang.txt"
    path.write_text("Judul Panjang\n" + "perundingan damai " * 20_000 + "\n", encoding="utf-8")
    sentences = split_article(read_article(path)).sentences
    assert len(sentences) > 300
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
