"""`python -m bot eval --dialogues FILE`: follow-up questions in two- and three-turn dialogues.

Each dialogue is played as one conversation (bot/answers/followup.py). Per language it reports the
share of follow-up turns answered with the right fact (or rightly declined), how many of them were
completed, and how many standalone questions asked after a context were merged (the target: none).
A turn is right when its outcome is the expected one and, when answered, the stated fact equals one
of the accepted spans (SQuAD normalisation) or the first quote holds the expected sentence.
"""

import json
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel

from bot.answers.answer import Answer, Outcome
from bot.answers.answering import Answerer
from bot.answers.followup import Turn, answer_turn
from evaluation.questions import exact_match

DIALOGUES = Path("tests/data/dialogues.jsonl")
# The dialogues speak of the seed article and of the test articles.


class Role(StrEnum):
    FIRST = "first"
    FOLLOW_UP = "follow_up"  # leans on the turn before: to be completed
    STANDALONE = "standalone"  # asked after a context, complete by itself: never to be merged


class DialogueTurn(BaseModel):
    text: str
    role: Role
    outcome: Outcome
    facts: list[str] = []
    sentence: str | None = None
    full: str | None = None  # a follow-up as the user meant it, asked in full


class Dialogue(BaseModel):
    id: str
    language: str
    turns: list[DialogueTurn]


class TurnResult(BaseModel):
    dialogue: str
    language: str
    role: Role
    text: str
    read_as: str
    outcome: Outcome
    fact: str
    right: bool
    full_right: bool = False  # the full question, asked alone, gets the right answer
    same_as_full: bool = False  # the follow-up gets what the full question gets (outcome and fact)


class LanguageFigures(BaseModel):
    language: str
    first: int = 0
    first_right: int = 0
    follow_ups: int = 0
    follow_ups_right: int = 0
    follow_ups_completed: int = 0
    full_right: int = 0
    same_as_full: int = 0
    standalone: int = 0
    standalone_merged: int = 0

    @property
    def follow_up_share(self) -> float:
        return self.follow_ups_right / self.follow_ups if self.follow_ups else 1.0

    @property
    def unmerged_share(self) -> float:
        return 1 - self.standalone_merged / self.standalone if self.standalone else 1.0


class DialogueReport(BaseModel):
    figures: list[LanguageFigures]
    turns: list[TurnResult]


def load_dialogues(path: Path) -> list[Dialogue]:
    with open(path, encoding="utf-8") as handle:
        return [Dialogue.model_validate(json.loads(line)) for line in handle if line.strip()]


def evaluate_dialogues(answerer: Answerer, dialogues: list[Dialogue]) -> DialogueReport:
    results = [result for dialogue in dialogues for result in play(answerer, dialogue)]
    figures: dict[str, LanguageFigures] = {}
    for result in results:
        row = figures.setdefault(result.language, LanguageFigures(language=result.language))
        if result.role == Role.FIRST:
            row.first += 1
            row.first_right += result.right
        elif result.role == Role.FOLLOW_UP:
            row.follow_ups += 1
            row.follow_ups_right += result.right
            row.follow_ups_completed += bool(result.read_as)
            row.full_right += result.full_right
            row.same_as_full += result.same_as_full
        else:
            row.standalone += 1
            row.standalone_merged += bool(result.read_as)
    return DialogueReport(figures=[figures[k] for k in sorted(figures)], turns=results)


def play(answerer: Answerer, dialogue: Dialogue) -> list[TurnResult]:
    """The dialogue as one conversation, turn after turn."""
    previous: Turn | None = None
    results = []
    for turn in dialogue.turns:
        answer, previous = answer_turn(answerer, turn.text, previous)
        full = answerer.answer(turn.full) if turn.full else None
        results.append(
            TurnResult(
                dialogue=dialogue.id,
                language=dialogue.language,
                role=turn.role,
                text=turn.text,
                read_as=answer.read_as or "",
                outcome=answer.outcome,
                fact=answer.stated_fact,
                right=is_right(answer, turn),
                full_right=full is not None and is_right(full, turn),
                same_as_full=full is not None
                and (full.outcome, full.stated_fact) == (answer.outcome, answer.stated_fact),
            )
        )
    return results


def is_right(answer: Answer, expected: DialogueTurn) -> bool:
    if expected.outcome != Outcome.ANSWERED:  # declined or partial: no fact may be stated
        return answer.outcome != Outcome.ANSWERED
    if answer.outcome != Outcome.ANSWERED:
        return False
    fact_right = not expected.facts or exact_match(answer.stated_fact, expected.facts)  # bot eval's rule
    sentence_right = expected.sentence is None or expected.sentence in answer.quotes[0].text
    return fact_right and sentence_right


def format_dialogue_report(report: DialogueReport) -> str:
    lines = [
        (
            "language  follow-ups: right    completed  as the full question  (full question right)  "
            "standalone unmerged  first turns right"
        )
    ]
    for f in report.figures:
        lines.append(
            f"{f.language:<10}{'':<12}{f.follow_up_share:.3f} ({f.follow_ups_right}/{f.follow_ups})  "
            f"{f.follow_ups_completed}/{f.follow_ups}{'':<6}{f.same_as_full}/{f.follow_ups}{'':<17}"
            f"{f.full_right}/{f.follow_ups}{'':<18}{f.unmerged_share:.3f} "
            f"({f.standalone - f.standalone_merged}/{f.standalone}){'':<8}{f.first_right}/{f.first}"
        )
    wrong = [r for r in report.turns if not r.right and r.role != Role.FIRST] + [
        r for r in report.turns if r.role == Role.STANDALONE and r.read_as
    ]
    for r in wrong:
        lines.append(
            f"  {r.dialogue} {r.role.value}: {r.text!r} read as {r.read_as!r}: {r.outcome.value} {r.fact!r}"
        )
    return "\n".join(lines)
