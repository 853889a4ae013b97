"""Reading the Debian lexicons' formats, and answering without them."""

from __future__ import annotations

import gzip
import logging
from pathlib import Path

from bot.answers.lexicon import (
    DICTIONARY_DATA,
    DICTIONARY_INDEX,
    THESAURUS,
    load_lexicon,
    read_dictionary,
    read_thesaurus,
)

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64(number: int) -> str:
    digits = ""
    while True:
        digits = B64[number % 64] + digits
        number //= 64
        if number == 0:
            return digits


def write_thesaurus(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        "ISO-8859-1\nmayat|1\n[n]|jenazah|jasad\ntewas|2\n[v]|gugur|meninggal\n[ant]|hidup\n".encode(
            "latin-1"
        )
    )


def write_dictionary(index: Path, data: Path) -> None:
    entries = [
        ("body", "body /b/ <n>\nbadan, tubuh\nphysical structure\n"),
        ("exchange", "exchange /x/ <n>\n1. pertukaran\nact of exchanging\n2. bursa\nplace of trade\n"),
    ]
    blob, lines = b"", []
    for head, text in entries:
        encoded = text.encode()
        lines.append(f"{head}\t{b64(len(blob))}\t{b64(len(encoded))}")
        blob += encoded
    index.parent.mkdir(parents=True, exist_ok=True)
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data.write_bytes(gzip.compress(blob))


def test_thesaurus_senses_are_synonyms_and_antonyms_are_not(tmp_path):
    write_thesaurus(tmp_path / "th.dat")
    synonyms = read_thesaurus(tmp_path / "th.dat")
    assert synonyms["mayat"] == {"jenazah", "jasad"}
    assert synonyms["tewas"] == {"gugur", "meninggal"}


def test_dictionary_translations_are_the_first_line_or_the_numbered_senses(tmp_path):
    write_dictionary(tmp_path / "d.index", tmp_path / "d.dict.dz")
    translations = read_dictionary(tmp_path / "d.index", tmp_path / "d.dict.dz")
    assert translations["body"] == {"badan", "tubuh"}
    assert translations["exchange"] == {"pertukaran", "bursa"}


def test_synonyms_hold_both_ways_and_the_glossary_adds_news_words(tmp_path):
    write_thesaurus(tmp_path / THESAURUS)
    write_dictionary(tmp_path / DICTIONARY_INDEX, tmp_path / DICTIONARY_DATA)
    lexicon = load_lexicon(tmp_path)
    assert "mayat" in lexicon.synonyms_of("jenazah")
    assert "jenazah" in lexicon.translate("bodies")  # the glossary: news reports' sense of "body"
    assert "badan" in lexicon.translate("bodies")  # FreeDict's


def test_missing_lexicons_leave_the_glossary_and_a_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        lexicon = load_lexicon(tmp_path / "nothing")
    assert lexicon.synonyms == {} and "jenazah" in lexicon.translate("body")
    assert "bot.answers.lexicon fetch" in caplog.text
