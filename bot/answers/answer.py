"""The answer object: what the bot knows it will say, before any rendering."""

from enum import StrEnum

from pydantic import BaseModel, Field

from bot.answers.question import AskedDetail, Language, QuestionType, SmallTalk
from bot.answers.timeline import TimelineEntry
from index.models import Sentence


class AnswerKind(StrEnum):
    ANSWER = "answer"
    TIMELINE = "timeline"  # one fact per article that answers, oldest first (possibly none)
    PARTIAL = "partial"  # the articles speak of the subject, not of what was asked
    NOT_FOUND = "not_found"
    SMALL_TALK = "small_talk"
    EMPTY = "empty"
    UNAVAILABLE = "unavailable"


class Outcome(StrEnum):
    """What the person in the chat gets: a fact, what the articles say instead, or a refusal."""

    ANSWERED = "answered"
    PARTIAL = "partial"
    DECLINED = "declined"
    SMALL_TALK = "small_talk"


class Quote(BaseModel):
    """A sentence quoted word for word, with its source and the fact to highlight in it."""

    text: str
    article: str
    title: str
    paragraph: int
    score: float
    url: str | None = None
    outlet: str | None = None
    date: str | None = Field(None, description="The article's date as stored: ISO or as written.")
    highlight: tuple[int, int] | None = Field(None, description="Offsets of the fact in `text`.")
    earlier: bool = Field(False, description="An older report's different answer, quoted after the newest.")

    @classmethod
    def of(cls, sentence: Sentence, score: float, highlight: tuple[int, int] | None = None) -> "Quote":
        """The indexed sentence quoted as it stands, its source still to be filled in (Recency)."""
        return cls(
            text=sentence.text,
            article=sentence.article_id,
            title=sentence.title,
            paragraph=sentence.paragraph,
            score=round(score, 4),
            url=sentence.url,
            highlight=highlight,
        )


class Answer(BaseModel):
    question: str
    language: Language
    kind: AnswerKind
    question_type: QuestionType = QuestionType.other
    fact: str | None = None
    quotes: list[Quote] = []
    suggestions: list[str] = []
    small_talk: SmallTalk | None = None
    missing_detail: AskedDetail | None = Field(None, description="What the articles lack, when not found.")
    missing: str | None = Field(
        None, description="Partial: the question's words the articles give no answer for."
    )
    mentioned: str | None = Field(
        None, description="Partial: the fact of the asked kind the articles give instead."
    )
    question_cut: bool = Field(False, description="The question was too long and was cut.")
    other_language: str | None = Field(None, description="The language detected when not id/en.")
    read_as: str | None = Field(None, description="A follow-up completed from the previous question.")
    as_of: str | None = Field(
        None, description="Latest/next questions: the date of the newest report the fact comes from."
    )
    timeline: list[TimelineEntry] = Field(default_factory=list, description="Timeline: oldest first.")

    @property
    def answered(self) -> bool:
        """True only when the reply quotes the articles, or gives a timeline of at least one fact."""
        if self.kind == AnswerKind.TIMELINE:
            return bool(self.timeline)
        return self.kind == AnswerKind.ANSWER and bool(self.quotes)

    @property
    def outcome(self) -> Outcome:
        if self.answered:
            return Outcome.ANSWERED
        if self.kind == AnswerKind.PARTIAL and self.quotes:
            return Outcome.PARTIAL
        if self.kind == AnswerKind.SMALL_TALK:
            return Outcome.SMALL_TALK
        return Outcome.DECLINED

    @property
    def stated_fact(self) -> str:
        """The fact put in bold as the answer; empty unless the outcome is answered."""
        return (
            (self.fact or "") if self.outcome == Outcome.ANSWERED and self.kind == AnswerKind.ANSWER else ""
        )

    @property
    def reply_language(self) -> Language:
        """Replies are in Indonesian or English; other languages get English."""
        return self.language if self.language in (Language.id, Language.en) else Language.en
