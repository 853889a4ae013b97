"""Passage sets: questions over short passages with gold answer spans (FacQA, SQuAD-format files).

Every distinct passage becomes one article file, so the bot must find the passage among all the
others before it can state the fact; `bot eval --facqa/--tydiqa` score what it states.
"""

import json
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError


class Passage(BaseModel):
    id: str  # the article file's stem, hence the id a quote or a hit names
    title: str
    text: str


class PassageQuestion(BaseModel):
    question: str
    passage_id: str
    golds: list[str]  # every accepted answer span; a stated fact is scored against the best


class PassageSet(BaseModel):
    name: str  # what the report is headed with
    source: str  # credited in each article's metadata
    language: str | None = None  # the articles' language, where the whole set has one
    passages: list[Passage]
    questions: list[PassageQuestion]


class PassageCollector:
    """Distinct passage texts numbered in the order first met: a passage that several questions
    share is one article, as it would be one article in the bot's folder."""

    def __init__(self, prefix: str, label: str) -> None:
        self.prefix = prefix
        self.label = label  # titles an untitled passage: "<label> 0001"
        self.by_text: dict[str, Passage] = {}

    def id_of(self, text: str, title: str = "") -> str:
        """The passage's id, numbering it when it is new (the first title given is kept)."""
        if text not in self.by_text:
            number = f"{len(self.by_text) + 1:04d}"
            self.by_text[text] = Passage(
                id=f"{self.prefix}_{number}", title=title or f"{self.label} {number}", text=text
            )
        return self.by_text[text].id

    @property
    def passages(self) -> list[Passage]:
        return list(self.by_text.values())


def write_articles(passages: PassageSet, folder: Path) -> None:
    """One article file (and its metadata) per passage."""
    folder.mkdir(parents=True, exist_ok=True)
    for passage in passages.passages:
        (folder / f"{passage.id}.txt").write_text(passage.text + "\n", encoding="utf-8")
        meta = {"title": passage.title, "language": passages.language, "source": passages.source}
        meta = {key: value for key, value in meta.items() if value is not None}
        (folder / f"{passage.id}.meta.json").write_text(json.dumps(meta), encoding="utf-8")


# --- SQuAD 1.1 format (TyDi QA GoldP and others) -------------------------------------------------
# Validated on reading, so a file of another shape fails at once with where and what (a ValueError),
# not with a KeyError deep inside the evaluation.


class _SquadAnswer(BaseModel):
    text: str


class _SquadQuestion(BaseModel):
    question: str
    answers: list[_SquadAnswer] = Field(min_length=1)  # 1.1 only: SQuAD 2.0's unanswerable would score 0


class _SquadParagraph(BaseModel):
    context: str
    qas: list[_SquadQuestion]


class _SquadArticle(BaseModel):
    title: str = ""
    paragraphs: list[_SquadParagraph]


class _SquadFile(BaseModel):
    data: list[_SquadArticle]


def read_squad(path: Path) -> PassageSet:
    """Each distinct context one passage titled by its article; each question with all its golds."""
    try:
        squad = _SquadFile.model_validate_json(path.read_bytes())
    except ValidationError as error:  # `bot eval` prints one line: the first problem's place says most
        first = error.errors()[0]
        place = ".".join(map(str, first["loc"]))
        where = f"{place}: " if place else ""  # invalid JSON has no place in the structure
        raise ValueError(f"{path}: not a SQuAD 1.1 file: {where}{first['msg']}") from error
    collector = PassageCollector("squad", path.stem)
    questions = [
        PassageQuestion(
            question=qa.question,
            passage_id=collector.id_of(paragraph.context, article.title),
            golds=[answer.text for answer in qa.answers],
        )
        for article in squad.data
        for paragraph in article.paragraphs
        for qa in paragraph.qas
    ]
    return PassageSet(
        name=path.name, source=f"{path.name} (SQuAD format)", passages=collector.passages, questions=questions
    )
