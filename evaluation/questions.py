"""Question sets and the rules that score them: retrieval ranks, fact matching (exact and token F1).

Two kinds of lines are read:
- fact-level lines (tests/data/facts_*.jsonl): `category` is answerable, near_miss or off_topic; an
  answerable line names its accepted fact spans (`facts`), the article and the expected sentence
  (a substring that occurs once in all the articles together; a list when several sentences answer);
- sentence-level lines (the older eval/holdout sets): `answerable` and the gold sentences (`answers`).
"""

import hashlib
import json
import re
import string
import unicodedata
from collections import Counter
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from index.search import SearchMode


class Category(StrEnum):
    ANSWERABLE = "answerable"
    NEAR_MISS = "near_miss"  # on the articles' subject, its words in them, its answer absent
    OFF_TOPIC = "off_topic"
    UNANSWERABLE = "unanswerable"  # the older sentence-level sets do not split the two above


class EvalQuestion(BaseModel):
    id: str
    question: str
    language: str
    category: Category | None = None
    answerable: bool | None = None
    facts: list[str] = Field(default_factory=list, description="Accepted spans of the expected fact.")
    article: str | list[str] | None = None
    sentence: str | list[str] | None = Field(None, description="Expected sentence(s): unique substrings.")
    answers: list[str] = Field(default_factory=list, description="Gold sentences (sentence-level sets).")
    type: str = "other"

    @model_validator(mode="after")
    def _category_and_answerable_agree(self) -> "EvalQuestion":
        if self.category is None:
            if self.answerable is None:
                raise ValueError(f"{self.id}: give `category` (or `answerable` in a sentence-level set)")
            self.category = Category.ANSWERABLE if self.answerable else Category.UNANSWERABLE
        elif self.answerable is not None and self.answerable != (self.category == Category.ANSWERABLE):
            raise ValueError(f"{self.id}: `answerable` contradicts `category`")
        self.answerable = self.category == Category.ANSWERABLE
        if self.article is not None and len(self.articles) != len(self.expected_sentences):
            raise ValueError(f"{self.id}: one article per expected sentence")
        return self

    @property
    def expected_sentences(self) -> list[str]:
        return [self.sentence] if isinstance(self.sentence, str) else list(self.sentence or [])

    @property
    def sentences(self) -> list[str]:
        """Every accepted sentence (substring) for sentence R@1."""
        return self.expected_sentences + self.answers

    @property
    def articles(self) -> list[str]:
        return [self.article] if isinstance(self.article, str) else list(self.article or [])


class RetrievalScores(BaseModel):
    language: str
    mode: SearchMode
    questions: int
    recall_at_1: float
    recall_at_3: float
    mrr: float


def load_questions(path: Path) -> list[EvalQuestion]:
    with open(path, encoding="utf-8") as handle:
        return [EvalQuestion.model_validate(json.loads(line)) for line in handle if line.strip()]


def matches(sentence: str, answers: list[str]) -> bool:
    """A retrieved sentence answers when it is (or contains, or lies in) a gold sentence."""
    return any(answer in sentence or sentence in answer for answer in answers)


def first_match_rank(retrieved: list[str], answers: list[str]) -> int | None:
    """1-based rank of the first retrieved sentence that answers, or None."""
    return next((rank for rank, text in enumerate(retrieved, start=1) if matches(text, answers)), None)


def score_ranks(language: str, mode: SearchMode, ranks: list[int | None]) -> RetrievalScores:
    count = len(ranks) or 1
    return RetrievalScores(
        language=language,
        mode=mode,
        questions=len(ranks),
        recall_at_1=sum(1 for r in ranks if r == 1) / count,
        recall_at_3=sum(1 for r in ranks if r is not None and r <= 3) / count,
        mrr=sum(1 / r for r in ranks if r is not None) / count,
    )


# --- Fact matching, as SQuAD's official script does it -------------------------------------------
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = set(string.punctuation) | {"“", "”", "‘", "’", "–", "—", "…"}


def normalize_answer(text: str) -> str:
    """NFKC, lower case, punctuation deleted, English articles dropped, spaces collapsed.

    Deleting punctuation (not replacing it) is SQuAD's rule; it also makes "1.200" (Indonesian)
    and "1,200" (English) the same "1200", and "Al-Mansouri" one word.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(ch for ch in text if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, golds: list[str]) -> bool:
    """The stated fact is right when, normalised, it equals one accepted span."""
    said = normalize_answer(prediction)
    return bool(said) and any(said == normalize_answer(gold) for gold in golds)


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD's token F1 between the normalised prediction and gold span."""
    said, wanted = normalize_answer(prediction).split(), normalize_answer(gold).split()
    common = sum((Counter(said) & Counter(wanted)).values())
    if not said or not wanted or common == 0:
        return 0.0
    precision, recall = common / len(said), common / len(wanted)
    return 2 * precision * recall / (precision + recall)


def content_key(paths: list[Path], extra: str = "") -> str:
    """A short digest of files' names and bytes: an index built from them is reused while it holds."""
    digest = hashlib.sha256(extra.encode())
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
