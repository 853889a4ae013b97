"""bot.answers.span_model without the trained reader: how a pair is encoded (with the real e5
tokenizer), how the best span is picked, and the shipped int8 deltas' round trip through
`save_weights` and `assemble` on a tiny random BERT. Fast."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.answers.span_model import (
    BOS,
    DELTA_FILE,
    EOS,
    MAX_QUESTION_TOKENS,
    MAX_TOKENS,
    assemble,
    best_span,
    encode_pair,
    load_tokenizer,
    save_weights,
    span_model,
)
from bot.answers.span_reader import decode_spans, whole_words

QUESTION = "Berapa tawanan perang yang ditukar?"
PASSAGE = "Pertukaran ini melibatkan 1.200 tawanan perang. Rusia berjanji mengembalikan 7.000 jenazah."


@pytest.fixture(scope="module")
def tokenizer(e5_dir: Path):
    return load_tokenizer(e5_dir)


# --- encode_pair -------------------------------------------------------------------------------


def test_a_pair_is_bos_question_eos_passage_eos(tokenizer):
    encoded = encode_pair(tokenizer, QUESTION, PASSAGE)
    question = tokenizer.encode(QUESTION, add_special_tokens=False).ids
    passage = tokenizer.encode(PASSAGE, add_special_tokens=False).ids
    assert encoded.ids == [BOS, *question, EOS, *passage, EOS]
    assert encoded.passage_offset == len(question) + 2
    assert len(encoded.offsets) == len(passage)


def test_a_long_question_is_cut_at_max_question_tokens(tokenizer):
    question = " ".join(["Berapa tawanan perang yang ditukar di Istanbul?"] * 20)
    encoded = encode_pair(tokenizer, question, PASSAGE)
    assert encoded.passage_offset == MAX_QUESTION_TOKENS + 2
    assert encoded.ids[: MAX_QUESTION_TOKENS + 2] == [
        BOS,
        *tokenizer.encode(question, add_special_tokens=False).ids[:MAX_QUESTION_TOKENS],
        EOS,
    ]


def test_a_long_passage_is_cut_to_max_tokens(tokenizer):
    passage = " ".join([PASSAGE] * 30)
    encoded = encode_pair(tokenizer, QUESTION, passage)
    assert len(encoded.ids) == MAX_TOKENS and encoded.ids[-1] == EOS
    assert len(encoded.offsets) == MAX_TOKENS - encoded.passage_offset - 1


def test_passage_offsets_map_each_token_back_to_the_passage_text(tokenizer):
    encoded = encode_pair(tokenizer, QUESTION, PASSAGE)
    tokens = [tokenizer.id_to_token(i) for i in encoded.ids[encoded.passage_offset : -1]]
    pieces = [PASSAGE[a:b] for a, b in encoded.offsets]
    assert [p.strip() for p in pieces] == [t.replace("\u2581", "") for t in tokens]
    assert "".join(pieces) == PASSAGE


# --- best_span ---------------------------------------------------------------------------------


def logits(size: int, **peaks: float) -> np.ndarray:
    """Zeros with the given values at positions named p<index>: logits(8, p3=5.0)."""
    values = np.zeros(size, dtype=np.float32)
    for name, value in peaks.items():
        values[int(name[1:])] = value
    return values


def test_best_span_is_the_highest_start_plus_end():
    start, end = logits(10, p2=3.0, p5=1.0), logits(10, p4=2.0, p7=4.0)
    assert best_span(start, end, 1, 10) == (2, 7, 7.0)


def test_best_span_never_ends_before_it_starts():
    start, end = logits(10, p6=5.0, p3=1.0), logits(10, p2=5.0, p8=1.0)
    i, j, _ = best_span(start, end, 1, 10)
    assert j >= i
    assert (i, j) == (6, 8)


def test_best_span_is_at_most_max_len_tokens():
    start, end = logits(40, p1=3.0, p20=2.0), logits(40, p35=3.0, p22=2.0)  # (1, 35) would score 6
    i, j, _ = best_span(start, end, 1, 40, max_len=10)
    assert j - i + 1 <= 10
    assert (i, j) == (20, 22)


def test_best_span_stays_in_the_passage_range():
    start, end = logits(10, p0=9.0, p4=1.0), logits(10, p0=9.0, p9=9.0, p5=1.0)
    assert best_span(start, end, 2, 8)[:2] == (4, 5)


# --- save_weights and assemble -------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_bert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=100,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    folder = tmp_path_factory.mktemp("tiny-bert")
    BertModel(config).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def trained(tiny_bert_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """A span model over the tiny BERT with every trainable tensor moved, saved as int8 deltas."""
    import torch

    from bot.answers.span_model import load_bert, trained_tensors

    bert = load_bert(tiny_bert_dir)
    base = {name: value.clone() for name, value in bert.state_dict().items()}
    model = span_model(bert).eval()
    torch.manual_seed(1)
    with torch.no_grad():
        for tensor in trained_tensors(model).values():
            tensor.add_(torch.randn_like(tensor) * 0.05)
    weights = tmp_path_factory.mktemp("weights")
    save_weights(model, base, weights, {"note": "tiny"})
    return model, weights


def batch():
    import torch

    ids = torch.tensor([[BOS, 5, 6, EOS, 10, 11, 12, 13, EOS], [BOS, 7, EOS, 20, 21, EOS, 1, 1, 1]])
    mask = (torch.arange(ids.shape[1]) < torch.tensor([[9], [6]])).long()
    return ids, mask


def test_assembled_weights_give_the_trained_models_logits(tiny_bert_dir, trained):
    import torch

    from bot.answers.span_model import load_bert

    model, weights = trained
    ids, mask = batch()
    base = span_model(load_bert(tiny_bert_dir)).eval()  # the trained head on the untouched encoder
    base.head.load_state_dict(model.head.state_dict())
    with torch.no_grad():
        expected, got, without_deltas = (
            model(ids, mask),
            assemble(tiny_bert_dir, weights)(ids, mask),
            base(ids, mask),
        )
    valid = mask.bool()
    assert torch.allclose(got[valid], expected[valid], atol=0.02)
    assert not torch.allclose(without_deltas[valid], expected[valid], atol=0.02)


def test_the_card_is_written_beside_the_deltas(trained):
    import json

    _, weights = trained
    assert json.loads((weights / "reader.json").read_text(encoding="utf-8")) == {"note": "tiny"}


def copy_weights(weights: Path, to: Path) -> Path:
    import shutil

    shutil.copytree(weights, to)
    return to


def test_a_truncated_delta_file_is_a_clear_error(tiny_bert_dir, trained, tmp_path):
    weights = copy_weights(trained[1], tmp_path / "weights")
    delta = weights / DELTA_FILE
    delta.write_bytes(delta.read_bytes()[: delta.stat().st_size // 2])
    with pytest.raises(ValueError, match=rf"reader weights .*{DELTA_FILE} unreadable"):
        assemble(tiny_bert_dir, weights)


def test_a_missing_delta_file_is_a_clear_error(tiny_bert_dir, tmp_path):
    with pytest.raises(ValueError, match=rf"reader weights .*{DELTA_FILE} unreadable"):
        assemble(tiny_bert_dir, tmp_path)


def test_a_delta_of_the_wrong_shape_is_a_clear_error(tiny_bert_dir, trained, tmp_path):
    import torch
    from safetensors.torch import load_file, save_file

    weights = copy_weights(trained[1], tmp_path / "weights")
    tensors = load_file(str(weights / DELTA_FILE))
    name = "bert.encoder.layer.0.attention.self.query.weight"
    tensors[name + ".q"] = torch.zeros((16, 32), dtype=torch.int8)
    save_file(tensors, str(weights / DELTA_FILE))
    with pytest.raises(ValueError, match=f"lack or misshape {name}"):
        assemble(tiny_bert_dir, weights)


def test_a_missing_head_is_a_clear_error(tiny_bert_dir, trained, tmp_path):
    from safetensors.torch import load_file, save_file

    weights = copy_weights(trained[1], tmp_path / "weights")
    tensors = load_file(str(weights / DELTA_FILE))
    del tensors["head.weight"]
    save_file(tensors, str(weights / DELTA_FILE))
    with pytest.raises(ValueError, match="lack or misshape head.weight"):
        assemble(tiny_bert_dir, weights)


# --- decode_spans --------------------------------------------------------------------------------


def test_a_span_that_starts_or_ends_on_a_word_piece_is_widened_to_whole_words(tokenizer):
    passage = "Perundingan berlangsung sepuluh hari di Jenewa."
    encoded = encode_pair(tokenizer, "Berapa lama perundingan berlangsung?", passage)
    pieces = [passage[a:b].strip() for a, b in encoded.offsets]
    first, last = pieces.index("puluh"), pieces.index("hari")  # "sepuluh" is "se" + "puluh"
    size = len(encoded.ids)
    rows = np.zeros((1, size, 2), dtype=np.float32)
    rows[0, encoded.passage_offset + first, 0] = rows[0, encoded.passage_offset + last, 1] = 9.0
    (span,) = decode_spans([passage], [encoded], rows)
    assert passage[span.start : span.end] == "sepuluh hari"


def test_whole_words_leaves_a_span_of_whole_words_as_it_is():
    text = "Rusia menawarkan gencatan senjata 30 hari."
    start = text.index("gencatan")
    assert whole_words(text, start, start + len("gencatan senjata")) == (start, start + 16)


def test_whole_words_finishes_a_word_cut_at_its_end():
    text = "pertukaran 1.200 tawanan perang"
    start = text.index("tawanan")
    begin, end = whole_words(text, start, start + 4)
    assert text[begin:end] == "tawanan"


def test_whole_words_keeps_a_number_whole_across_its_separators():
    text = "Pertukaran ini melibatkan 1.200 tawanan perang."
    start = text.index("200")
    begin, end = whole_words(text, start, start + 3)
    assert text[begin:end] == "1.200"
    first = text.index("1.200")
    assert text[slice(*whole_words(text, first, first + 1))] == "1.200"


def test_whole_words_stops_at_a_full_stop_after_a_number():
    text = "Perundingan berikutnya pada 2027. Rusia setuju."
    start = text.index("2027")
    assert whole_words(text, start, start + 4) == (start, start + 4)
