"""Decide whether the retrieved sentences answer the question, or the bot must say it does not know.

NOTES.md measured that no fixed cosine threshold separates on-topic from off-topic questions,
so the gate combines three signals, each general:
- names and numbers in the question that no article mentions (the articles cannot answer it);
- the asked kind of fact (a number, a date, a place, a person) in none of the best sentences;
- a background of everyday sentences matching the question better than the articles do.
"""

import difflib
import re
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from bot.answers.facts import has_fact
from bot.answers.question import AskedDetail, QuestionAnalysis
from index.lexical import FUNCTION_WORDS, WORD, root_words
from index.models import Hit

BACKGROUND_FILE = Path(__file__).parent / "data" / "background.txt"
# The articles' best sentence may trail the best background sentence by at most this much
# (cosine): e5 scores crowd together, and short informal questions sit close to everything.
# Measured with `python -m bot eval` (docs/evaluation.md).
BACKGROUND_MARGIN = -0.012
FACT_CANDIDATES = 3
SIMILAR_SPELLING = 0.74
_CAPITALIZED_OR_NUMBER = re.compile(r"(?<![\w.,])(?:[A-Z][a-z]\w{2,}|\d[\d.,]*\d|\d)")
# Capitalized words beside each other make one name: "Grup Radja", "Wilson W Wenas".
_NAME_RUN = re.compile(r"(?<![\w.,])[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*")


class Verdict(BaseModel):
    answerable: bool
    reason: str
    # Set when the articles speak of the question but lack the finer fact it asks for (the hour
    # of a dated meeting): the reply can say exactly what is missing.
    missing_detail: AskedDetail | None = None


def read_background(path: Path = BACKGROUND_FILE) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


class Vocabulary:
    """The words of the articles, for asking 'does any article mention this name or number?'."""

    def __init__(self, texts: list[str]) -> None:
        tokens = [w for text in texts for w in WORD.findall(text)]
        self._words = {_plain(w) for w in tokens}
        # Spelled-alike matches are for names only: "Tesla" must not pass for "telah".
        self._by_prefix: dict[str, list[str]] = {}
        for name in {_plain(w) for w in tokens if w[:1].isupper()}:
            self._by_prefix.setdefault(name[:2], []).append(name)

    def mentions(self, word: str) -> bool:
        """Exact, or spelled alike (Ukraine/Ukraina, Russian/Rusia) for words of letters."""
        plain = _plain(word)
        if plain in self._words:
            return True
        if plain.isdigit():
            return False
        candidates = self._by_prefix.get(plain[:2], [])
        return bool(difflib.get_close_matches(plain, candidates, n=1, cutoff=SIMILAR_SPELLING))


class AnswerGate:
    """Holds what the decision needs about one index: its vocabulary and the background vectors."""

    def __init__(self, vocabulary: Vocabulary, background_vectors: np.ndarray) -> None:
        self.vocabulary = vocabulary
        self.background_vectors = background_vectors

    def decide(self, analysis: QuestionAnalysis, query_vector: np.ndarray, hits: list[Hit]) -> Verdict:
        if not hits:
            return Verdict(answerable=False, reason="nothing retrieved")
        unknown = self.unknown_names(analysis.text)
        if unknown:
            return Verdict(answerable=False, reason=f"no article mentions {', '.join(unknown)}")
        if not any(
            has_fact(hit.sentence.text, analysis.type, analysis.detail) for hit in hits[:FACT_CANDIDATES]
        ):
            asked = analysis.detail.value if analysis.detail else analysis.type.value
            on_topic = self.background_margin(query_vector, hits) >= BACKGROUND_MARGIN
            return Verdict(
                answerable=False,
                reason=f"no {asked} fact in the best sentences",
                missing_detail=analysis.detail if on_topic else None,
            )
        margin = self.background_margin(query_vector, hits)
        if margin < BACKGROUND_MARGIN:
            return Verdict(answerable=False, reason=f"the background matches better ({margin:+.3f})")
        return Verdict(answerable=True, reason=f"background margin {margin:+.3f}")

    def unknown_names(self, question: str) -> list[str]:
        """Capitalized words (not the first) and numbers of the question that no article has. A
        word beside a name the articles do have is part of that name: people write "Grup Radja"
        where the report says "Radja", "Wilson W Wenas" where it says "Wilson"."""
        vouched = {
            m.start() + part.start()
            for m in _NAME_RUN.finditer(question)
            if self._has_known_name(m.group())
            for part in re.finditer(r"\S+", m.group())
        }
        words = [
            m for m in _CAPITALIZED_OR_NUMBER.finditer(question) if m.start() > 0 and m.start() not in vouched
        ]
        # "Jadi, Siapa …": a capitalized function word is not a name.
        names = [m.group() for m in words if m.group().lower() not in FUNCTION_WORDS]
        return [w for w in names if not self.vocabulary.mentions(w)]

    def _has_known_name(self, run: str) -> bool:
        """A word of the run is a name (no dictionary word, no function word) the articles have."""
        return any(
            len(word) > 2
            and word.lower() not in root_words()
            and word.lower() not in FUNCTION_WORDS
            and self.vocabulary.mentions(word)
            for word in run.split()
        )

    def background_margin(self, query_vector: np.ndarray, hits: list[Hit]) -> float:
        best_article = max((h.dense_score for h in hits if h.dense_score is not None), default=0.0)
        if len(self.background_vectors) == 0:
            return best_article
        best_background = float(np.max(self.background_vectors @ query_vector.ravel()))
        return best_article - best_background


def _plain(word: str) -> str:
    """Lowercase, and numbers without separators so '3,000' meets '3.000'."""
    lowered = word.lower()
    return re.sub(r"[.,]", "", lowered) if lowered[:1].isdigit() else lowered
