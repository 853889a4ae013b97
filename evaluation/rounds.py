"""Figures across rounds (`python -m bot eval --rounds`): latest/next questions and timelines.

Question lines (tests/data/rounds_*.jsonl) are of two kinds:
- `latest`: the newest report that says it (`article`) and the accepted spans of its fact (`facts`).
  Right when the bolded fact is one of them, the first quote is from that article, and the reply
  names that article's date.
- `timeline`: the accepted spans per article that states the fact (`expected`), and the articles
  that may or may not be listed (`allowed`: they touch the subject without a clear answer). Right
  when every expected article is listed and no other article is (apart from the allowed ones).
  An empty `expected` asks for a reply that says no article speaks of it.
"""

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from bot.answers.answering import Answerer
from bot.answers.recency import display_date
from bot.answers.render import render_plain
from evaluation.answers import share_text
from evaluation.questions import exact_match

RoundsKind = Literal["latest", "timeline"]


class RoundsQuestion(BaseModel):
    id: str
    kind: RoundsKind
    question: str
    language: str
    article: str | None = Field(None, description="latest: the newest report that says it.")
    facts: list[str] = Field(default_factory=list, description="latest: accepted spans of its fact.")
    expected: dict[str, list[str]] = Field(
        default_factory=dict, description="timeline: accepted spans per article that states the fact."
    )
    allowed: list[str] = Field(default_factory=list, description="timeline: may be listed or not.")


class RoundsResult(BaseModel):
    id: str
    kind: RoundsKind
    question: str
    right: bool
    said: str = Field(description="latest: article and fact; timeline: the articles listed.")
    entries_right: int = 0  # timeline: entries of expected articles whose fact is an accepted span
    entries_expected: int = 0


class RoundsReport(BaseModel):
    name: str
    results: list[RoundsResult]

    def share(self, kind: RoundsKind) -> tuple[int, int]:
        chosen = [r for r in self.results if r.kind == kind]
        return sum(r.right for r in chosen), len(chosen)

    @property
    def entry_facts(self) -> tuple[int, int]:
        return (
            sum(r.entries_right for r in self.results),
            sum(r.entries_expected for r in self.results),
        )


def load_rounds(path: Path) -> list[RoundsQuestion]:
    with open(path, encoding="utf-8") as handle:
        return [RoundsQuestion.model_validate(json.loads(line)) for line in handle if line.strip()]


def evaluate_rounds(answerer: Answerer, questions: list[RoundsQuestion], name: str) -> RoundsReport:
    judge = {"latest": judge_latest, "timeline": judge_timeline}
    return RoundsReport(name=name, results=[judge[q.kind](answerer, q) for q in questions])


def judge_latest(answerer: Answerer, question: RoundsQuestion) -> RoundsResult:
    """Right: the fact, from the newest report that says it, whose date the reply names."""
    answer = answerer.answer(question.question)
    article = answer.quotes[0].article if answer.answered else ""
    dates = {info.id: info.date for info in answerer.retriever.stored.manifest.catalog}
    date = display_date(dates.get(question.article or ""), answer.reply_language.value)
    right = (
        exact_match(answer.stated_fact, question.facts)
        and article == question.article
        and bool(date)
        and f"{date})" in render_plain(answer)  # the head line: "(the latest report that says so: <date>)"
    )
    return RoundsResult(
        id=question.id,
        kind="latest",
        question=question.question,
        right=right,
        said=f"{article or '-'}: {answer.stated_fact or '-'}",
    )


def judge_timeline(answerer: Answerer, question: RoundsQuestion) -> RoundsResult:
    """Right: every expected article listed, and none but the expected and the allowed."""
    answer = answerer.answer(question.question)
    listed = {entry.article: entry.fact for entry in answer.timeline}
    expected = set(question.expected)
    right = expected <= set(listed) <= expected | set(question.allowed)
    return RoundsResult(
        id=question.id,
        kind="timeline",
        question=question.question,
        right=right,
        said=", ".join(f"{a[:3]}:{f}" for a, f in listed.items()) or "none",
        entries_right=sum(exact_match(listed[a], question.expected[a]) for a in expected & set(listed)),
        entries_expected=len(expected),
    )


def format_rounds(report: RoundsReport, misses: bool = False) -> str:
    latest, timeline, entries = report.share("latest"), report.share("timeline"), report.entry_facts
    lines = [
        f"{report.name}",
        f"latest/next answered from the newest report that says it, with its date  {share_text(*latest)}",
        f"timelines listing every article that states the fact and no other        {share_text(*timeline)}",
        f"timeline entries of expected articles with the right fact in bold        {share_text(*entries)}",
    ]
    if misses:
        lines += [f"  miss {r.id:<7}{r.question}  ->  {r.said}" for r in report.results if not r.right]
    return "\n".join(lines)
