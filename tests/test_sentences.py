"""Paragraph and sentence splitting: Indonesian hard cases, offsets, headings, the seed article."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest

from index.sentences import (
    MAX_SENTENCE_CHARS,
    is_heading,
    paragraph_spans,
    sentence_spans,
    strip_markdown_heading,
)

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_5e52b92a9a26778a.txt"


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def paragraphs(text: str) -> list[str]:
    return [text[s:e] for s, e in paragraph_spans(text)]


# --- paragraphs -------------------------------------------------------------------------------


def test_paragraphs_are_lines_without_surrounding_whitespace():
    assert paragraphs("  Satu dua.  \nTiga empat.\t\n") == ["Satu dua.", "Tiga empat."]


def test_blank_lines_between_paragraphs_are_skipped():
    assert paragraphs("Satu.\n\n\n   \nDua.") == ["Satu.", "Dua."]


def test_crlf_line_breaks_separate_paragraphs():
    text = "Satu.\r\n\r\nDua.\r\nTiga."
    assert paragraphs(text) == ["Satu.", "Dua.", "Tiga."]


def test_paragraph_offsets_point_into_the_text():
    text = "\n\n  Judul  \r\nIsi paragraf.\n"
    for start, end in paragraph_spans(text):
        assert text[start:end] == text[start:end].strip()
    assert paragraph_spans(text)[0] == (4, 9)


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \r\n \t \n"])
def test_empty_or_whitespace_input_has_no_paragraphs(text):
    assert paragraph_spans(text) == []


# --- sentences: what must stay whole ----------------------------------------------------------


def test_thousands_separator_does_not_split():
    assert sentences("Pertukaran melibatkan 1.200 tawanan dan 7.000 jenazah.") == [
        "Pertukaran melibatkan 1.200 tawanan dan 7.000 jenazah."
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Harganya Rp 1.500.000 per unit di pasar.",
        "Harganya Rp. 1.500.000 per unit di pasar.",
        "Ekonomi tumbuh 3,5 persen tahun ini.",
        "Inflation rose 2.5 percent last year.",
        "Pertemuan diadakan pada 23 Juli 2027, di Istanbul.",
        "Rapat dimulai pukul 10.30 WIB di gedung itu.",
    ],
)
def test_numbers_dates_and_times_do_not_split(sentence):
    assert sentences(sentence) == [sentence]


@pytest.mark.parametrize(
    "abbreviation",
    "Dr. dr. Prof. Ir. H. Hj. Bpk. Sdr. Kol. Jend. Brigjen. Mayjen. Letjen. Kapt. St. PT. "
    "Yth. a.n. u.p. Jl. kab. kec. tgl. hlm. Ny. Tn. KH. Mr. Mrs.".split(),
)
def test_abbreviation_before_a_capital_does_not_split(abbreviation):
    sentence = f"Kemarin {abbreviation} Budi Santoso datang ke kantor."
    assert sentences(sentence) == [sentence]


@pytest.mark.parametrize(
    "abbreviation", "dll. dsb. dst. tsb. etc. S.H. M.Sc. e.g. i.e. Inc. Tbk. Jan. Feb.".split()
)
def test_abbreviation_before_a_lowercase_word_does_not_split(abbreviation):
    sentence = f"Ia membawa beras, gula, {abbreviation} untuk keluarganya."
    assert sentences(sentence) == [sentence]


def test_abbreviation_that_can_end_a_sentence_splits_before_a_capital():
    assert sentences("Ia membeli beras, gula, dll. Lalu ia pulang.") == [
        "Ia membeli beras, gula, dll.",
        "Lalu ia pulang.",
    ]


def test_abbreviation_before_a_number_does_not_split():
    sentence = "Kantornya di Jl. Sudirman No. 5 dan dibuka Jan. 5 lalu."
    assert sentences(sentence) == [sentence]


def test_english_no_ending_a_sentence_splits():
    assert sentences("The answer was no. We left.") == ["The answer was no.", "We left."]


def test_number_ending_a_sentence_splits():
    assert sentences("Kantornya di Jl. Sudirman No. 5. Semua hadir.") == [
        "Kantornya di Jl. Sudirman No. 5.",
        "Semua hadir.",
    ]


def test_acronym_without_dot_ending_a_sentence_splits():
    assert sentences("Rapat dimulai pukul 10.30 WIB. Semua hadir.") == [
        "Rapat dimulai pukul 10.30 WIB.",
        "Semua hadir.",
    ]


def test_english_abbreviations_do_not_split():
    sentence = "Mr. Smith met Mrs. Jones and Dr. Lee in the U.S. on Jan. 5 at Acme Inc. today."
    assert sentences(sentence) == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        "Buku itu ditulis J. K. Rowling pada tahun 1997.",
        "Presiden B.J. Habibie lahir di Parepare.",
        "Kepala Staf J.B. Sumarlin tiba di Jakarta.",
    ],
)
def test_initials_do_not_split(sentence):
    assert sentences(sentence) == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        "Baca di https://www.example.co.id/berita/2027/07/a.b.html?id=1.200&x=y untuk rinciannya.",
        "Kirim surel ke redaksi.berita@example.co.id untuk informasi lebih lanjut.",
    ],
)
def test_urls_and_email_addresses_do_not_split(sentence):
    assert sentences(sentence) == [sentence]


def test_url_at_the_end_of_a_sentence_still_ends_it():
    assert sentences("Lihat https://example.co.id/a.b. Lalu baca.") == [
        "Lihat https://example.co.id/a.b.",
        "Lalu baca.",
    ]


@pytest.mark.parametrize(
    "sentence",
    ["Ia ragu... lalu pergi ke pasar.", "Ia ragu\u2026 lalu pergi ke pasar."],
)
def test_ellipsis_inside_a_sentence_does_not_split(sentence):
    assert sentences(sentence) == [sentence]


@pytest.mark.parametrize(
    "sentence",
    [
        'Ia bertanya, "Kapan perang berakhir?" kepada menteri itu.',
        "Ia bertanya, \u201cKapan perang berakhir?\u201d kepada menteri itu.",
        '"Kami siap," kata dia.',
        '"Kami siap!" seru mereka.',
        "He asked, \u201cIs it over?\u201d and left.",
    ],
)
def test_quoted_question_or_exclamation_inside_a_sentence_does_not_split(sentence):
    assert sentences(sentence) == [sentence]


# --- sentences: where they do end -------------------------------------------------------------


@pytest.mark.parametrize("mark", ["?", "!", "?!"])
def test_question_or_exclamation_ends_a_sentence(mark):
    text = f"Mengapa pertemuan ini begitu penting{mark} Dalam dunia yang terus berkembang."
    assert sentences(text) == [
        f"Mengapa pertemuan ini begitu penting{mark}",
        "Dalam dunia yang terus berkembang.",
    ]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ('Ia berkata, "Kami siap." Lalu ia pergi.', 'Ia berkata, "Kami siap."'),
        ("Ia berkata, \u201cKami siap!\u201d Lalu ia pergi.", "Ia berkata, \u201cKami siap!\u201d"),
        ("(Ini hanya catatan.) Lalu ia pergi.", "(Ini hanya catatan.)"),
    ],
)
def test_closing_quote_or_bracket_belongs_to_the_sentence(text, first):
    assert sentences(text) == [first, "Lalu ia pergi."]


def test_next_sentence_may_open_with_a_quote():
    assert sentences('Ia diam. "Kami siap," katanya.') == ["Ia diam.", '"Kami siap," katanya.']


def test_line_break_ends_a_sentence():
    assert sentences("Judul tanpa titik\nKalimat pertama. Kalimat kedua.") == [
        "Judul tanpa titik",
        "Kalimat pertama.",
        "Kalimat kedua.",
    ]


def test_last_sentence_without_final_punctuation_is_kept():
    assert sentences("Kalimat pertama. Kalimat kedua tanpa titik") == [
        "Kalimat pertama.",
        "Kalimat kedua tanpa titik",
    ]


def test_lowercase_after_a_dot_does_not_split():
    # Unknown abbreviations ("ttd.", "kel.") are commoner in news than lower-case sentence starts.
    sentence = "Surat itu ditandatangani ttd. ketua panitia."
    assert sentences(sentence) == [sentence]


# --- offsets ----------------------------------------------------------------------------------


def test_sentence_offsets_are_into_the_whole_text_and_trimmed():
    text = "Judul\n  Satu dua.   Tiga empat?  \nLain."
    start, end = paragraph_spans(text)[1]
    spans = sentence_spans(text, start, end)
    assert [text[s:e] for s, e in spans] == ["Satu dua.", "Tiga empat?"]
    assert spans[0][0] == text.index("Satu")


def test_sentences_stay_inside_the_requested_range():
    text = "Awal. Tengah satu. Tengah dua. Akhir."
    start, end = text.index("Tengah"), text.index(" Akhir")
    assert [text[s:e] for s, e in sentence_spans(text, start, end)] == [
        "Tengah satu.",
        "Tengah dua.",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n \r\n\t"])
def test_empty_or_whitespace_input_has_no_sentences(text):
    assert sentence_spans(text) == []


def test_empty_range_has_no_sentences():
    assert sentence_spans("Satu. Dua.", 3, 3) == []


# --- long input -------------------------------------------------------------------------------


def test_long_paragraph_without_punctuation_is_cut_at_whitespace_quickly():
    text = " ".join(f"kata{i % 97}" for i in range(3000))  # about 20,000 characters
    assert len(text) > 19_000
    began = time.perf_counter()
    spans = sentence_spans(text)
    elapsed = time.perf_counter() - began
    assert elapsed < 1.0
    assert all(0 < e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    assert " ".join(text[s:e] for s, e in spans) == text  # cut only at the spaces


def test_long_token_without_whitespace_is_cut_into_pieces_quickly():
    text = "a." * 10_000 + " Akhir."
    began = time.perf_counter()
    spans = sentence_spans(text)
    assert time.perf_counter() - began < 1.0
    assert all(0 < e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    assert "".join(text[s:e] for s, e in spans) == text.replace(" ", "")


def test_many_short_sentences_are_linear():
    text = "Ya. " * 20_000
    began = time.perf_counter()
    assert len(sentence_spans(text)) == 20_000
    assert time.perf_counter() - began < 2.0


# --- headings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [
        "# Latar Belakang",
        "### Reaksi Internasional ###",
        "**Reaksi Internasional**",
        "Reaksi Internasional",
        "What Happens Next",
    ],
)
def test_heading_is_detected(paragraph):
    assert is_heading(paragraph)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Mengapa pertemuan ini begitu penting?",
        "Rusia setuju.",
        "Ia berkata, \u201cKami siap.\u201d",
        " ".join(["kata"] * 13),  # long: a sentence that lost its final dot
        "",
        "   ",
        "2027",
    ],
)
def test_non_heading_is_not_detected(paragraph):
    assert not is_heading(paragraph)


@pytest.mark.parametrize(
    ("paragraph", "text"),
    [
        ("## Latar Belakang", "Latar Belakang"),
        ("### Latar Belakang ###", "Latar Belakang"),
        ("**Latar Belakang**", "Latar Belakang"),
        ("  Latar Belakang  ", "Latar Belakang"),
    ],
)
def test_strip_markdown_heading_keeps_the_heading_text(paragraph, text):
    assert strip_markdown_heading(paragraph) == text


# --- the seed article -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> str:
    # newline="": offsets must be into the file as stored, without newline translation.
    with SEED.open(encoding="utf-8", newline="") as f:
        return f.read()


def test_seed_has_ten_paragraphs(seed):
    assert len(paragraph_spans(seed)) == 10


def test_seed_headings_are_detected(seed):
    headings = [seed[s:e] for s, e in paragraph_spans(seed) if is_heading(seed[s:e])]
    assert headings == [
        "Pertemuan Diplomatik antara Rusia dan Ukraina",
        "Strategi untuk Mencapai Damai",
    ]


def test_seed_sentence_count_per_paragraph(seed):
    counts = [
        None if is_heading(seed[s:e]) else len(sentence_spans(seed, s, e)) for s, e in paragraph_spans(seed)
    ]
    assert counts == [2, 3, None, 3, 3, None, 3, 2, 2, 2]


def test_seed_question_is_its_own_sentence(seed):
    assert "Mengapa pertemuan ini begitu penting?" in sentences(seed)


def test_seed_sentence_with_prisoner_count_is_whole(seed):
    [sentence] = [s for s in sentences(seed) if "1.200 tawanan perang" in s]
    assert sentence == (
        "Pertukaran ini melibatkan 1.200 tawanan perang, sebuah langkah signifikan "
        "yang dapat membuka peluang lebih lanjut untuk negosiasi."
    )


def test_seed_offsets_round_trip(seed):
    for p_start, p_end in paragraph_spans(seed):
        spans = sentence_spans(seed, p_start, p_end)
        assert spans[0][0] == p_start and spans[-1][1] == p_end
        for s, e in spans:
            assert p_start <= s < e <= p_end
            assert seed[s:e] == seed[s:e].strip()
            assert seed[s:e] in seed[p_start:p_end]
        # Only whitespace lies between consecutive sentences of a paragraph.
        for (_, e1), (s2, _) in itertools.pairwise(spans):
            assert seed[e1:s2].isspace()
