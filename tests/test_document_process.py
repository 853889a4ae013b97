"""Passages are embedded in a child process that holds torch, so the bot never does: the vectors
are the in-process ones, the child stops when idle, and a child that dies costs one clear error."""

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psutil
import pytest

from index.child_process import ChildStopped
from index.document_process import ChildDocumentModel
from index.e5_model import BUNDLED_MODEL_NAME

PASSAGES = [
    "Rusia mengusulkan pembentukan tiga kelompok kerja daring.",
    "Talks resume in Vienna in November.",
]


def _children() -> set[int]:
    return {child.pid for child in psutil.Process().children()}


def _worker(before: set[int]) -> psutil.Process:
    """The child started since `before` that runs the model (not multiprocessing's resource tracker)."""
    (worker,) = [
        psutil.Process(pid)
        for pid in _children() - before
        if "resource_tracker" not in " ".join(psutil.Process(pid).cmdline())
    ]
    return worker


@pytest.fixture(scope="module")
def child(e5_dir: Path) -> Iterator[tuple[ChildDocumentModel, set[int]]]:
    """A child that stays; with the processes that ran before it started."""
    model = ChildDocumentModel(str(e5_dir), BUNDLED_MODEL_NAME, idle_seconds=600)
    yield model, _children()
    model.close()


def test_the_child_gives_the_vectors_sentence_transformers_gives_in_process(
    child: tuple[ChildDocumentModel, set[int]],
) -> None:
    model, _ = child
    from index.embedder import load_sentence_transformer

    in_process = load_sentence_transformer(model.source, BUNDLED_MODEL_NAME).encode_document(
        PASSAGES, normalize_embeddings=True
    )
    vectors = model.encode(PASSAGES, batch_size=32, show_progress=False)
    assert vectors.dtype == np.float32 and vectors.shape == (2, 384)
    assert np.allclose(vectors, in_process, atol=1e-5)


def test_a_child_that_died_gives_a_clear_error_and_the_next_call_starts_another(
    child: tuple[ChildDocumentModel, set[int]],
) -> None:
    model, before = child
    model.encode(PASSAGES[:1], batch_size=32, show_progress=False)
    _worker(before).kill()
    with pytest.raises(ChildStopped, match="stopped before it finished"):
        model.encode(PASSAGES, batch_size=32, show_progress=False)
    assert model.encode(PASSAGES, batch_size=32, show_progress=False).shape == (2, 384)


def test_an_idle_child_stops_and_its_memory_goes_with_it(e5_dir: Path) -> None:
    model = ChildDocumentModel(str(e5_dir), BUNDLED_MODEL_NAME, idle_seconds=0.5)
    before = _children()
    model.encode(PASSAGES[:1], batch_size=32, show_progress=False)
    worker = _worker(before)
    deadline = time.monotonic() + 30
    while model.running and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not model.running and not worker.is_running()
