"""The embedder frees its document model after a build when questions have their own encoder, and
embeds questions with torch when the query model's ONNX export fails."""

from types import SimpleNamespace
from typing import Any, cast

import index.embedder
from index.child_process import ChildStopped
from index.e5_model import BUNDLED_MODEL_NAME
from index.embedder import Embedder
from index.settings import IndexSettings
from tests.conftest import MODEL_CACHE


def _counting_loader(loads: list[object]) -> Any:
    def load() -> object:
        model = object()
        loads.append(model)
        return model

    return load


def test_a_build_frees_the_document_model_when_questions_have_their_own_encoder() -> None:
    loads: list[object] = []
    encoder = cast(Any, SimpleNamespace(dimension=384))
    embedder = Embedder("e5", "c" * 64, _counting_loader(loads), query_encoder=encoder)
    first = embedder.model
    embedder.release_document_model()
    assert embedder.model is not first and len(loads) == 2  # loaded again by the next build


def test_the_model_that_answers_questions_is_kept() -> None:
    loads: list[object] = []
    model = SimpleNamespace(get_embedding_dimension=lambda: 384)
    embedder = Embedder("other", "c" * 64, lambda: loads.append(model) or model)
    embedder.release_document_model()
    assert embedder.model is model and len(loads) == 1


def test_a_failed_query_model_export_leaves_torch_embedding_the_questions(
    embedder: Embedder, monkeypatch: Any, caplog: Any
) -> None:
    def killed(*_: object, **__: object) -> None:
        raise ChildStopped("the ONNX export stopped before it finished (out of memory?)")

    monkeypatch.setattr(index.embedder, "ensure_onnx_export", killed)
    settings = IndexSettings(model_cache_dir=MODEL_CACHE, embedding_model=BUNDLED_MODEL_NAME)
    fallback = index.embedder.load_embedder(settings, passages_in_child=False)
    question = ["Berapa tawanan perang yang ditukar?"]
    cosine = float(fallback.embed_queries(question)[0] @ embedder.embed_queries(question)[0])
    assert cosine > 0.99
    assert "ONNX export failed" in caplog.text and "out of memory" in caplog.text
