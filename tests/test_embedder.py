"""The embedder frees its document model after a build when questions have their own encoder."""

from types import SimpleNamespace
from typing import Any, cast

from index.embedder import Embedder


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
