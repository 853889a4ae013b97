"""Where the answer path loses the fact on a passage set (`bot eval --facqa FILE --misses`).

Each question whose bolded fact is wrong is put at the first stage that lost it: the gate declined,
the answer's sentence was not among those the reader read, the reader found no exact span, a wrong
span outranked the exact one, or the exact span was the best and was not stated (below the margin,
or refused by a check). The count of each stage says where work pays.
"""

from collections import Counter
from enum import StrEnum

from bot.answers.answering import Answerer
from bot.answers.reading import READ_HITS
from evaluation.answers import PassageReport
from evaluation.passages import PassageQuestion, PassageSet
from evaluation.questions import exact_match


class Loss(StrEnum):
    RIGHT = "right fact in bold"
    GATE = "declined by the gate"
    NOT_READ = "the answer's sentence not among those read"
    NO_SPAN = "the answer's sentence read, no exact span among the reader's"
    OUTRANKED = "an exact span outranked by another"
    BELOW_MARGIN = "the exact span best, below the margin"
    REFUSED = "the exact span best, refused by a check"


def loss_of(answerer: Answerer, item: PassageQuestion) -> Loss:
    """The first stage of the answer path that lost the question's fact (its fact is wrong)."""
    analysed = answerer.analyse(item.question)
    retrieved = answerer.retrieve(analysed)
    if not retrieved.verdict.answerable:
        return Loss.GATE
    golds = [gold.lower() for gold in item.golds]
    read = [
        hit
        for hit in retrieved.hits[:READ_HITS]
        if hit.sentence.article_id == item.passage_id and any(g in hit.sentence.text.lower() for g in golds)
    ]
    if not read:
        return Loss.NOT_READ
    candidates = answerer.read(analysed, retrieved).candidates
    exact = [c for c in candidates if c.is_fact and exact_match(c.text, item.golds)]
    if not exact:
        return Loss.NO_SPAN
    if exact[0] is not candidates[0]:
        return Loss.OUTRANKED
    return Loss.BELOW_MARGIN if exact[0].score <= answerer.min_margin else Loss.REFUSED


def losses(answerer: Answerer, passages: PassageSet, report: PassageReport) -> Counter[Loss]:
    """Each question of the report at the stage that lost it (RIGHT when its fact is right)."""
    counts: Counter[Loss] = Counter()
    for item, result in zip(passages.questions, report.results, strict=True):
        counts[Loss.RIGHT if result.exact else loss_of(answerer, item)] += 1
    return counts


def format_losses(counts: Counter[Loss]) -> str:
    total = sum(counts.values()) or 1
    lines = ["where the fact is lost (first stage that lost it)"]
    lines += [f"  {counts[loss]:4d}  {counts[loss] / total:.3f}  {loss.value}" for loss in Loss]
    return "\n".join(lines)
