"""load_span_reader without usable weights: no reader (the bot quotes without a bold fact) and an
error in the log that names the weights folder (nothing is assembled or exported); and the
Answerer without a reader."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import pytest

from bot.answers import reader_export
from bot.answers.answer import Outcome
from bot.answers.answering import Answerer
from bot.answers.render import render_html
from bot.answers.span_model import CARD_FILE, DELTA_FILE
from bot.answers.span_reader import load_span_reader


@pytest.fixture
def models(e5_dir: Path, tmp_path: Path) -> Path:
    """The real e5 folder seen from a tmp cache, so that an export would land in tmp, not var/."""
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / e5_dir.name).symlink_to(e5_dir, target_is_directory=True)
    return tmp_path / "models" / e5_dir.name


def use_weights(monkeypatch: pytest.MonkeyPatch, weights: Path) -> None:
    monkeypatch.setattr(
        reader_export,
        "ensure_reader_export",
        functools.partial(reader_export.ensure_reader_export, weights_dir=weights),
    )


def reader_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "bot.answers.span_reader" and r.levelno == logging.ERROR
    ]


def test_a_missing_weights_folder_gives_no_reader_and_names_the_folder(models, tmp_path, monkeypatch, caplog):
    weights = tmp_path / "reader_weights"
    use_weights(monkeypatch, weights)
    with caplog.at_level(logging.ERROR):
        assert load_span_reader(models) is None
    assert len(errors := reader_errors(caplog)) == 1 and str(weights) in errors[0]


def test_a_corrupt_delta_file_gives_no_reader_and_names_the_folder(models, tmp_path, monkeypatch, caplog):
    weights = tmp_path / "reader_weights"
    weights.mkdir()
    (weights / DELTA_FILE).write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json")
    (weights / CARD_FILE).write_text("{}\n", encoding="utf-8")
    use_weights(monkeypatch, weights)
    with caplog.at_level(logging.ERROR):
        assert load_span_reader(models) is None
    assert len(errors := reader_errors(caplog)) == 1 and str(weights) in errors[0]
    assert not (models.parent / "reader" / reader_export.READER_FILE).exists()


def test_without_a_reader_the_bot_quotes_the_best_sentence_with_nothing_in_bold(service):
    live = service.answerer
    answerer = Answerer(
        live.retriever, live.analyzer, service.background, lexicon=service.lexicon, span_reader=None
    )
    answer = answerer.answer("Berapa tawanan perang yang ditukar?")
    assert answer.outcome == Outcome.ANSWERED and answer.quotes
    assert answer.fact is None and answer.quotes[0].highlight is None
    assert "<b>" not in render_html(answer)


def test_a_passage_reads_the_same_whatever_is_read_beside_it(service):
    # The int8 reader quantizes each call's activations with one scale: a batch made a passage's
    # margin depend on the passages (and the padding) beside it.
    reader = service.answerer.span_reader
    question = "Berapa tawanan perang yang ditukar?"
    passage = "Pertukaran ini melibatkan 1.200 tawanan perang."
    longer = (
        "Delegasi Rusia dipimpin oleh Ajudan Kepresidenan, sementara delegasi Ukraina diwakili oleh Sekretaris "
        "Dewan Keamanan dan Pertahanan Nasional, yang tiba sehari sebelumnya di Istanbul."
    )
    alone = reader.read(question, [passage])[0]
    beside = reader.read(question, [longer, passage, "Ya."])[1]
    assert beside.passage == 1
    assert (beside.start, beside.end, beside.margin) == (alone.start, alone.end, alone.margin)
