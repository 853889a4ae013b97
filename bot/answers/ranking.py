"""Re-rank retrieved sentences for what the question asks: news writing and question types
carry signals that similarity alone misses.
"""

from bot.answers.facts import has_fact
from bot.answers.question import AskedDetail, QuestionType, classify_question
from index.models import Hit, Sentence

# A sentence without the asked kind of fact (no number for "how many", no date for "when")
# rarely answers; places and people are found less reliably (by capitals and prepositions), so
# they weigh less. Measured with `python -m bot eval` (docs/evaluation.md).
MISSING_FACT_PENALTY = {
    QuestionType.how_many: 0.2,
    QuestionType.when: 0.2,
    QuestionType.where: 0.15,
    QuestionType.who: 0.1,
}
# Journalists answer their own rhetorical questions in the next sentence.
RHETORICAL_HANDOVER = 0.02


def rerank(
    hits: list[Hit], question_type: QuestionType, sentences: list[Sentence], detail: AskedDetail | None = None
) -> list[Hit]:
    """Best first, after handing rhetorical questions' scores on and weighing the asked fact."""
    handed = hand_over_rhetorical_questions(hits, sentences, question_type)
    weighed = [_weigh_fact(hit, question_type, detail) for hit in handed]
    return sorted(weighed, key=lambda hit: hit.score, reverse=True)


def hand_over_rhetorical_questions(
    hits: list[Hit], sentences: list[Sentence], question_type: QuestionType
) -> list[Hit]:
    """A question in the article is never the answer; the sentence after it may be, when the
    article asks the same kind of question ("Mengapa …?" answers a why-question)."""
    by_id = {hit.sentence.id: hit for hit in hits}
    for hit in hits:
        if not _is_question(hit.sentence) or classify_question(hit.sentence.text) != question_type:
            continue
        follower = _next_in_paragraph(hit.sentence, sentences)
        if follower is None:
            continue
        handed = hit.score - RHETORICAL_HANDOVER
        current = by_id.get(follower.id)
        if current is None or current.score < handed:
            by_id[follower.id] = Hit(
                sentence=follower, score=handed, dense_score=hit.dense_score, lexical_score=hit.lexical_score
            )
    return [hit for hit in by_id.values() if not _is_question(hit.sentence)]


def _weigh_fact(hit: Hit, question_type: QuestionType, detail: AskedDetail | None) -> Hit:
    penalty = MISSING_FACT_PENALTY.get(question_type, 0.0)
    if penalty and not has_fact(hit.sentence.text, question_type, detail):
        return hit.model_copy(update={"score": hit.score - penalty})
    return hit


def _is_question(sentence: Sentence) -> bool:
    return sentence.text.rstrip("\"'”’)] ").endswith("?")


def _next_in_paragraph(sentence: Sentence, sentences: list[Sentence]) -> Sentence | None:
    follower = sentences[sentence.id + 1] if sentence.id + 1 < len(sentences) else None
    if follower and follower.article_id == sentence.article_id and follower.paragraph == sentence.paragraph:
        return follower
    return None
