"""The reading step: the trained reader over the best retrieved sentences.

Each of the best hits becomes a window (the sentence alone by default, or with its neighbours in the
paragraph: both are passages the reader saw in training); the reader (one call a passage) gives every
window's best span and its margin over "no answer". A span is returned as a Candidate of the sentence
it lies in, so that the quote and the highlight are that sentence, word for word.
"""

import itertools
import re

from pydantic import BaseModel, ConfigDict

from bot.answers.span_reader import Span, SpanReader, skip_space
from bot.answers.verify import Token
from index.models import Hit, Sentence

# The reader's cost is linear in tokens (about 0.25 ms a token on two cores): the best READ_HITS hits
# are read, the best NEIGHBOURS_OF of them with the sentences beside them, and a hit already inside an
# earlier window is not read twice. Measured on the dev set (right facts id/en, near-misses in bold,
# p50): 6 hits, 3 with neighbours 21/55, 12/30, 14/43, 124 ms; 4 hits, 1 with neighbours 24/55, 14/30,
# 14/43, 72 ms; 3 sentences alone 33/55, 20/30, 15/43, 62 ms. Sentences alone it is.
READ_HITS = 3
NEIGHBOURS_OF = 0
# Clauses break at semicolons, colons, and before conjunctions that open another statement: a
# clashing modifier ("delegasi Rusia ..., sementara delegasi Ukraina ...") is looked for in the
# fact's own clause only.
_CLAUSE_BREAK = re.compile(
    r"\s*[;:]\s*|,\s+(?=(?:dan|and|termasuk|including|yaitu|namely)\s)|,?\s+(?=(?:sementara|sedangkan|namun|tetapi|"
    r"tapi|meskipun|walaupun|padahal|sehingga|setelah|sebelum|whereas|while|but|although|though|after|before|who|"
    r"which)\b)"
    # the source after the fact: "..., menurut seorang pejabat yang tidak bersedia disebut namanya"
    r"|,\s+(?=(?:menurut|kata|ujar|according to|said)\b)",
    re.IGNORECASE,
)


class Candidate(BaseModel):
    """A span the reader found in a quoted sentence, with the margin it gave it over no answer."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int
    sentence_id: int
    clause: tuple[int, int]
    score: float
    is_fact: bool = True  # False: the sentence is only quoted (no reader), nothing is put in bold


class ReadSentence(BaseModel):
    """A sentence the reader looked at, with its retrieval score."""

    model_config = ConfigDict(frozen=True)

    sentence: Sentence
    score: float
    tokens: tuple[Token, ...]
    context: tuple[Token, ...] = ()  # its paragraph and its article's title


class Window(BaseModel):
    """A retrieved sentence with its neighbours in the paragraph, as one passage for the reader."""

    sentences: list[Sentence]
    score: float

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    def locate(self, span: Span) -> tuple[Sentence, int, int]:
        """The sentence the span starts in, and the span's offsets in it (cut at its end)."""
        start, offset = skip_space(self.text, span.start), 0
        for sentence in self.sentences:
            end = offset + len(sentence.text)
            if start < end:
                return sentence, start - offset, max(start, min(span.end, end)) - offset
            offset = end + 1
        last = self.sentences[-1]
        return last, 0, len(last.text)


def windows(
    hits: list[Hit], sentences: list[Sentence], limit: int = READ_HITS, neighbours_of: int = NEIGHBOURS_OF
) -> list[Window]:
    """The best `limit` hits, the first `neighbours_of` with the sentences before and after them in
    their paragraph; a hit inside an earlier window is left out."""
    result: list[Window] = []
    seen: set[int] = set()
    for rank, hit in enumerate(hits[:limit]):
        if hit.sentence.id in seen:
            continue
        around = [hit.sentence]
        if rank < neighbours_of:
            before, after = _beside(hit.sentence, sentences, -1), _beside(hit.sentence, sentences, 1)
            around = [s for s in (before, hit.sentence, after) if s is not None]
        seen.update(s.id for s in around)
        result.append(Window(sentences=around, score=hit.score))
    return result


def _beside(sentence: Sentence, sentences: list[Sentence], step: int) -> Sentence | None:
    other_id = sentence.id + step
    other = sentences[other_id] if 0 <= other_id < len(sentences) else None
    same_paragraph = other is not None and (other.article_id, other.paragraph) == (
        sentence.article_id,
        sentence.paragraph,
    )
    return other if same_paragraph else None


def read_windows(reader: SpanReader, question: str, found: list[Window]) -> list[Candidate]:
    """Every window's best span as a candidate, best margin first; one span found through two
    windows is kept once."""
    candidates: dict[tuple[int, int, int], Candidate] = {}
    for span in reader.read(question, [w.text for w in found]):
        sentence, start, end = found[span.passage].locate(span)
        start, end = bracketed(sentence.text, start, end)
        if not sentence.text[start:end].strip():
            continue
        key = (sentence.id, start, end)
        if key not in candidates or candidates[key].score < span.margin:
            candidates[key] = Candidate(
                text=sentence.text[start:end],
                start=start,
                end=end,
                sentence_id=sentence.id,
                clause=clause_of(sentence.text, start),
                score=span.margin,
            )
    return sorted(candidates.values(), key=lambda c: c.score, reverse=True)


def bracketed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span with its brackets paired: a bracket it opens or closes alone is dropped ("(11/8"
    is "11/8"), and one it leaves open is closed when the closer follows within a few letters
    ("Badan Tenaga Atom Internasional (IAEA)"), else the span ends before it."""
    span = text[start:end]
    while span[:1] in _OPENERS and _CLOSERS[span[0]] not in span:
        start, span = start + 1, span[1:]
    while span[-1:] in _CLOSERS.values() and _OPENER_OF[span[-1]] not in span:
        end, span = end - 1, span[:-1]
    for opener, closer in _CLOSERS.items():
        left = span.rfind(opener)
        if left > 0 and closer not in span[left:]:
            after = text.find(closer, end)
            if 0 <= after - end <= _SHORT_ENOUGH:
                return start, after + 1
            return start, start + len(span[:left].rstrip(" ,"))
    return start, end


_CLOSERS = {"(": ")", "[": "]"}
_OPENERS = frozenset(_CLOSERS)
_OPENER_OF = {closer: opener for opener, closer in _CLOSERS.items()}
_SHORT_ENOUGH = 12  # an abbreviation: "(IAEA)", "(PBHI)"


def quoted_only(hit: Hit) -> Candidate:
    """The top sentence as a quote without a fact (no reader)."""
    return Candidate(
        text=hit.sentence.text,
        start=0,
        end=len(hit.sentence.text),
        sentence_id=hit.sentence.id,
        clause=(0, len(hit.sentence.text)),
        score=hit.score,
        is_fact=False,
    )


def clauses(sentence: str) -> list[tuple[int, int]]:
    """The sentence cut at clause breaks, as (start, end) offsets."""
    cuts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def clause_of(sentence: str, offset: int) -> tuple[int, int]:
    for start, end in clauses(sentence):
        if start <= offset < end:
            return start, end
    return 0, len(sentence)
