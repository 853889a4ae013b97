"""The answering service the bot and the terminal share: the live Answerer, swapped after a
rebuild (from /reindex or from the shell) without stopping answers.
"""

import hashlib
import io
import logging
import threading
from collections.abc import Callable

import numpy as np

from bot.answers.answer import Answer, AnswerKind
from bot.answers.answering import Answerer
from bot.answers.gate import BACKGROUND_FILE, read_background
from bot.answers.lexicon import load_lexicon
from bot.answers.question import QuestionAnalyzer
from bot.answers.span_reader import load_span_reader
from bot.settings import Settings
from index.build import BuildReport, build_index
from index.e5_model import ensure_e5_model
from index.embedder import Embedder, load_embedder
from index.files import write_atomically
from index.search import open_retriever
from index.store import IndexProblem, current_build_name

log = logging.getLogger(__name__)


class AnswerService:
    """Owns the model and the live Answerer; `answer` is safe to call from many threads."""

    def __init__(self, settings: Settings, embedder: Embedder, analyzer: QuestionAnalyzer) -> None:
        self.settings = settings
        self.embedder = embedder
        self.analyzer = analyzer
        self.lexicon = load_lexicon(settings.lexicon_dir)
        self.background = background_vectors(embedder, settings)
        # The reader is built on the bundled e5 weights; the embedder has just checked them when it uses
        # them (checking again costs 0.4 s of start-up), else they are made or checked here.
        self.span_reader = load_span_reader(embedder.model_dir or ensure_e5_model(settings.model_cache_dir))
        self.answerer: Answerer | None = None
        self.problem: str | None = None
        self._build_lock = threading.Lock()
        self._reload_lock = threading.Lock()
        # Called (in the swapping thread) after a new build is served: the alerts look for new articles.
        self.swap_listeners: list[Callable[[], None]] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> "AnswerService":
        return cls(settings, load_embedder(settings), QuestionAnalyzer())

    def answer(self, question: str) -> Answer:
        answerer = self.answerer  # one read: a swap in between cannot mix two indexes
        if answerer is None:
            analysis = self.analyzer.analyze(question[: self.settings.max_question_chars])
            return Answer(question=question, language=analysis.language, kind=AnswerKind.UNAVAILABLE)
        return answerer.answer(question)

    def reload_if_changed(self) -> bool:
        """Load the live build if it is not the one being served; True when it swapped."""
        with self._reload_lock:  # the watcher and a rebuild may ask at the same moment
            name = current_build_name(self.settings.index_dir)
            served = self.answerer.retriever.stored.name if self.answerer else None
            if name is None or name == served:
                return False
            try:
                retriever = open_retriever(self.settings.index_dir, self.embedder)
            except IndexProblem as problem:
                self.problem = str(problem)
                log.warning("Keeping the current index: %s", problem)
                return False
            self.answerer = Answerer(
                retriever,
                self.analyzer,
                self.background,
                self.settings.max_question_chars,
                self.lexicon,
                self.span_reader,
                frozenset(self.settings.reader_checks),
                self.settings.reader_min_margin,
            )
            self.problem = None
            log.info("Serving index %s (%d sentences)", retriever.stored.name, len(retriever.sentences))
        for listener in list(self.swap_listeners):
            listener()
        return True

    def rebuild(self) -> BuildReport:
        """Build from the seeds and swap it in; raises BuildError and keeps serving the old one."""
        with self._build_lock:
            try:
                report = build_index(self.settings, self.embedder)
            finally:
                self.embedder.release_document_model()
            self.reload_if_changed()
            return report

    @property
    def building(self) -> bool:
        return self._build_lock.locked()


def background_vectors(embedder: Embedder, settings: Settings) -> np.ndarray:
    """Embeddings of the background sentences, cached beside the model (they depend only on
    the model and the file), so every process after the first starts without embedding them."""
    sentences = read_background(BACKGROUND_FILE)
    key = hashlib.sha256(("\n".join(sentences) + embedder.checksum).encode()).hexdigest()[:16]
    cache = settings.model_cache_dir / f"background-{key}.npy"
    try:
        return np.load(cache)
    except (OSError, ValueError):
        vectors = embedder.embed_documents(sentences)
        cache.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        np.save(buffer, vectors)
        write_atomically(cache, buffer.getvalue())
        return vectors
