"""Specification of index.articles: finding and reading article files and their metadata."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from index.articles import MAX_ARTICLE_BYTES, ArticleError, article_paths, read_article, read_articles
from tests.conftest import SEED_ID, SEEDS

SEED_TITLE = "Pertemuan damai Rusia dan Ukraina di Istanbul"
TEXT = "Delegasi bertemu di Istanbul. Mereka sepakat menukar tahanan.\n"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# --- reading one article ----------------------------------------------------------------------


def test_seed_article_is_read_with_its_metadata_title():
    article = read_article(SEEDS / f"{SEED_ID}.txt")
    assert article.id == SEED_ID
    assert article.title == SEED_TITLE
    assert article.meta.date == "23 Juli 2027"
    assert article.meta.examples["id"][0] == "Berapa tawanan perang yang ditukar?"


def test_article_hash_is_the_sha256_of_the_file():
    path = SEEDS / f"{SEED_ID}.txt"
    assert read_article(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_title_comes_from_a_markdown_heading_without_metadata(tmp_path):
    path = write(tmp_path, "a.md", "# Gencatan senjata di Gaza\n\n" + TEXT)
    assert read_article(path).title == "Gencatan senjata di Gaza"


def test_title_is_a_short_first_line_without_metadata(tmp_path):
    path = write(tmp_path, "a.txt", "Gencatan senjata di Gaza\n" + TEXT)
    assert read_article(path).title == "Gencatan senjata di Gaza"


def test_title_falls_back_to_the_file_name_when_the_first_line_is_a_sentence(tmp_path):
    path = write(tmp_path, "perundingan_damai-istanbul.txt", TEXT)
    assert read_article(path).title == "perundingan damai istanbul"


def test_byte_order_mark_is_not_part_of_the_text(tmp_path):
    path = write(tmp_path, "a.txt", "\ufeff" + TEXT)
    assert read_article(path).text == TEXT


# --- files that cannot be articles --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"  \n\t\r\n   \n", "empty", id="whitespace-only"),
        pytest.param(
            "Perundingan di Istanbul.".encode("latin-1") + b"\xe9t\xe9\n", "not UTF-8", id="not-utf8"
        ),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", id="binary"),
    ],
)
def test_unusable_file_raises_article_error_naming_the_file(tmp_path, content, reason):
    path = write(tmp_path, "rusak.txt", content)
    with pytest.raises(ArticleError) as raised:
        read_article(path)
    assert "rusak.txt" in str(raised.value)
    assert reason in str(raised.value)


def test_non_utf8_message_says_to_save_as_utf8(tmp_path):
    path = write(tmp_path, "cp1252.txt", b"Caf\xe9 di Istanbul.\n")
    with pytest.raises(ArticleError, match=r"save it as UTF-8"):
        read_article(path)


def test_oversized_file_raises_article_error_naming_the_file_and_limit(tmp_path):
    path = write(tmp_path, "besar.txt", b"a" * (MAX_ARTICLE_BYTES + 1))
    with pytest.raises(ArticleError) as raised:
        read_article(path)
    assert "besar.txt" in str(raised.value)
    assert f"{MAX_ARTICLE_BYTES:,}" in str(raised.value)


# --- metadata -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "meta",
    [
        pytest.param("{not json", id="invalid-json"),
        pytest.param('["a list"]', id="not-an-object"),
        pytest.param('{"title": 42, "examples": "no"}', id="wrong-types"),
        pytest.param(b"\xff\xfe{", id="not-utf8"),
    ],
)
def test_broken_metadata_is_ignored_and_the_article_still_read(tmp_path, meta):
    path = write(tmp_path, "a.txt", "Judul dari baris pertama\n" + TEXT)
    write(tmp_path, "a.meta.json", meta)
    article = read_article(path)
    assert article.title == "Judul dari baris pertama"
    assert article.meta.url is None


def test_metadata_fields_are_read(tmp_path):
    path = write(tmp_path, "a.txt", TEXT)
    write(tmp_path, "a.meta.json", json.dumps({"title": "Judul", "url": "https://example.org/a"}))
    article = read_article(path)
    assert (article.title, article.meta.url) == ("Judul", "https://example.org/a")


# --- the seeds folder ---------------------------------------------------------------------------------


def test_read_articles_skips_a_bad_file_and_reports_it_while_reading_the_others(tmp_path):
    write(tmp_path, "a.txt", TEXT)
    write(tmp_path, "b.txt", b"\x00\x01\x02")
    write(tmp_path, "c.md", "# Judul\n" + TEXT)
    articles, problems = read_articles(tmp_path)
    assert [a.id for a in articles] == ["a", "c"]
    assert len(problems) == 1
    assert problems[0].path.endswith("b.txt")
    assert "binary" in problems[0].reason


def test_hidden_files_metadata_and_other_suffixes_are_not_articles(tmp_path):
    for name in ("a.txt", "b.MD", ".hidden.txt", "a.meta.json", "notes.pdf", "README"):
        write(tmp_path, name, TEXT)
    (tmp_path / "sub.txt").mkdir()
    assert [p.name for p in article_paths(tmp_path)] == ["a.txt", "b.MD"]


def test_articles_come_in_file_name_order(tmp_path):
    for name in ("b.txt", "a.txt", "c.md"):
        write(tmp_path, name, TEXT)
    assert [p.name for p in article_paths(tmp_path)] == ["a.txt", "b.txt", "c.md"]


def test_two_files_with_the_same_name_but_another_suffix_are_one_article_and_a_problem(tmp_path):
    write(tmp_path, "a.md", TEXT)
    write(tmp_path, "a.txt", TEXT)
    articles, problems = read_articles(tmp_path)
    assert [a.path for a in articles] == [str(tmp_path / "a.md")]
    assert len(problems) == 1
    assert problems[0].path == str(tmp_path / "a.txt")
    assert "a.md" in problems[0].reason


def test_missing_seeds_folder_raises_article_error_naming_seeds_dir(tmp_path):
    with pytest.raises(ArticleError, match="SEEDS_DIR"):
        read_articles(tmp_path / "nowhere")


def test_empty_seeds_folder_has_no_articles_and_no_problems(tmp_path):
    assert read_articles(tmp_path) == ([], [])
