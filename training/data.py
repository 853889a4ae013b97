"""Training examples for the span reader: (question, window, answer span or none).

The reader sees at answer time what it sees here: a question and a window of a retrieved
sentence with its neighbours. Sources (`../shared/datasets/`, see each README):
- FacQA train (Indonesian news questions): the passage, and each of its sentences alone;
- TyDi QA GoldP English train: the answer's sentence with 0-1 neighbours each side; a tenth of the
  articles (by a hash of the title) is held out for `bot eval --tydiqa`;
- no-answer windows: the best BM25 window of another passage that lacks the answer (a hard negative,
  as the retriever would offer it), another window of the same passage, a random passage, and the
  near-miss questions of tests/data/facts_dev.jsonl over the project's articles (never the holdout);
- code-switched copies: question words swapped for their dictionary translations, so that English
  questions read Indonesian text and the other way round;
- near-miss copies: a question whose name or number the passage holds, with that word swapped for
  another question's, over the same passage, as no answer ("Who led the delegation in Doha?" over
  the Istanbul sentence): the reader learns that a fact of the right kind in another setting is no
  answer, the way SQuAD 2.0's writers made unanswerable questions by perturbing answerable ones.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import json
import random
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import bm25s
from pydantic import BaseModel

from bot.answers.lexicon import Lexicon
from index.lexical import FUNCTION_WORDS
from index.sentences import sentence_spans

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "%", "'s", "”"}
_NO_SPACE_AFTER = {"(", "[", "“"}
ENGLISH_FUNCTION_WORDS = frozenset(
    "a an the of in on at to for by with from and or is are was were be been being do does did what who whom "
    "whose which when where why how many much is it its this that these those as into about than has "
    "have had "
    "not no name".split()
)


class Example(BaseModel):
    """One training pair. `answer` is a (start, end) character span of `passage`, or None."""

    question: str
    passage: str
    answer: tuple[int, int] | None = None
    source: str


# --------------------------------------------------------------------------- FacQA


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """FacQA's token lists as text ("Jakarta, Kompas"), with each token's character span."""
    text, spans = "", []
    for i, token in enumerate(tokens):
        glue = i == 0 or token in _NO_SPACE_BEFORE or tokens[i - 1] in _NO_SPACE_AFTER
        text += "" if glue else " "
        spans.append((len(text), len(text) + len(token)))
        text += token
    return text, spans


def read_facqa(path: Path) -> list[tuple[str, str, tuple[int, int]]]:
    """(question, passage, answer span) for every row of a FacQA CSV."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            question, _ = detokenize(ast.literal_eval(row["question"]))
            passage, spans = detokenize(ast.literal_eval(row["passage"]))
            labels = ast.literal_eval(row["seq_label"])
            inside = [i for i, tag in enumerate(labels) if tag != "O"]
            if not inside:
                continue
            first = labels.index("B") if "B" in labels else inside[0]
            last = first
            while last + 1 < len(labels) and labels[last + 1] == "I":
                last += 1
            rows.append((question, passage, (spans[first][0], spans[last][1])))
    return rows


# --------------------------------------------------------------------------- TyDi QA


def read_squad(path: Path) -> list[tuple[str, str, str, tuple[int, int]]]:
    """(title, question, context, answer span) for every question of a SQuAD-format file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            for qa in paragraph["qas"]:
                answer = qa["answers"][0]
                start = answer["answer_start"]
                rows.append((article["title"], qa["question"], context, (start, start + len(answer["text"]))))
    return rows


def is_held_out(title: str, share: float = 0.1) -> bool:
    """A fixed tenth of the articles, by title, whatever the order of the file."""
    digest = hashlib.sha256(title.encode("utf-8")).digest()
    return digest[0] < 256 * share


def split_squad(path: Path, out_holdout: Path) -> list[tuple[str, str, str, tuple[int, int]]]:
    """The training rows; the held-out articles are written to `out_holdout` in SQuAD format."""
    data = json.loads(path.read_text(encoding="utf-8"))
    kept = [a for a in data["data"] if is_held_out(a["title"])]
    out_holdout.parent.mkdir(parents=True, exist_ok=True)
    out_holdout.write_text(
        json.dumps({"version": "holdout", "data": kept}, ensure_ascii=False), encoding="utf-8"
    )
    return [row for row in read_squad(path) if not is_held_out(row[0])]


def windows(text: str, width: int = 1) -> list[tuple[int, int, int]]:
    """(start, end, centre sentence) of each sentence with `width` neighbours each side."""
    spans = sentence_spans(text)
    return [
        (spans[max(0, i - width)][0], spans[min(len(spans) - 1, i + width)][1], i) for i in range(len(spans))
    ]


def answer_window(
    context: str, answer: tuple[int, int], rng: random.Random
) -> tuple[str, tuple[int, int]] | None:
    """The answer's sentence with 0-1 neighbours each side, and the answer's span in it."""
    spans = sentence_spans(context)
    inside = [i for i, (s, e) in enumerate(spans) if s <= answer[0] < e]
    if not inside:
        return None
    i = inside[0]
    first, last = max(0, i - rng.randint(0, 1)), min(len(spans) - 1, i + rng.randint(0, 1))
    start, end = spans[first][0], spans[last][1]
    if answer[1] > end:
        return None
    return context[start:end], (answer[0] - start, answer[1] - start)


# --------------------------------------------------------------------------- negatives


class Bm25Pool:
    """BM25 over passages, to find the best-ranked passage that lacks the answer."""

    def __init__(self, passages: list[str]) -> None:
        self.passages = passages
        self.retriever = bm25s.BM25()
        self.retriever.index(
            bm25s.tokenize(passages, stopwords=None, show_progress=False), show_progress=False
        )

    def hard_negatives(self, questions: list[str], answers: list[str], k: int = 8) -> list[str | None]:
        tokens = bm25s.tokenize(questions, stopwords=None, show_progress=False)
        found, _ = self.retriever.retrieve(
            tokens, k=min(k, len(self.passages)), show_progress=False, n_threads=1
        )
        result: list[str | None] = []
        for row, answer in zip(found, answers):
            wrong = [self.passages[j] for j in row if answer.lower() not in self.passages[j].lower()]
            result.append(wrong[0] if wrong else None)
        return result


# --------------------------------------------------------------------------- code-switching


def code_switch(
    question: str, translate: dict[str, list[str]], rng: random.Random, rate: float
) -> str | None:
    """The question with each translatable content word swapped at `rate`; None if none was."""
    swapped = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal swapped
        word = match.group()
        choices = translate.get(word.lower())
        if not choices or rng.random() > rate:
            return word
        swapped += 1
        return rng.choice(choices)

    result = _WORD.sub(swap, question)
    return result if swapped else None


def translation_tables(lexicon: Lexicon) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """English -> Indonesian and Indonesian -> English single words, function words left alone."""
    en_id = {
        en: sorted(w for w in ids if " " not in w)
        for en, ids in lexicon.translations.items()
        if en not in ENGLISH_FUNCTION_WORDS and " " not in en
    }
    id_en = {
        w: sorted(e for e in ens if " " not in e)
        for w, ens in lexicon.english.items()
        if w not in FUNCTION_WORDS and " " not in w
    }
    return {k: v for k, v in en_id.items() if v}, {k: v for k, v in id_en.items() if v}


# --------------------------------------------------------------------------- the whole set


def build_examples(
    datasets: Path,
    articles: list[str],
    near_misses: list[str],
    lexicon: Lexicon,
    tydi_holdout: Path,
    seed: int = 13,
) -> list[Example]:
    rng = random.Random(seed)
    examples: list[Example] = []
    examples += _facqa_examples(read_facqa(datasets / "facqa" / "train.csv"), rng)
    examples += _tydi_examples(split_squad(datasets / "tydiqa-en" / "train.json", tydi_holdout), rng)
    examples += _near_miss_examples(articles, near_misses)
    examples += list(_swapped_questions(examples, rng))
    en_id, id_en = translation_tables(lexicon)
    examples += list(_code_switched(examples, en_id, id_en, rng))
    rng.shuffle(examples)
    return examples


def _facqa_examples(rows: list[tuple[str, str, tuple[int, int]]], rng: random.Random) -> list[Example]:
    examples = [Example(question=q, passage=p, answer=a, source="facqa") for q, p, a in rows]
    for question, passage, answer in rows:  # each sentence alone, as retrieval offers them
        for start, end in sentence_spans(passage):
            if len(sentence_spans(passage)) == 1:
                break
            if start <= answer[0] and answer[1] <= end:
                if rng.random() < 0.5:
                    examples.append(
                        Example(
                            question=question,
                            passage=passage[start:end],
                            answer=(answer[0] - start, answer[1] - start),
                            source="facqa-sentence",
                        )
                    )
            elif not (answer[0] < end and start < answer[1]) and rng.random() < 0.25:
                examples.append(
                    Example(question=question, passage=passage[start:end], source="facqa-other-sentence")
                )
    passages = sorted({p for _, p, _ in rows})
    pool = Bm25Pool(passages)
    answers = [p[a[0] : a[1]] for _, p, a in rows]
    for (question, passage, _), negative in zip(rows, pool.hard_negatives([q for q, _, _ in rows], answers)):
        if negative is not None and negative != passage:
            examples.append(Example(question=question, passage=negative, source="facqa-bm25-negative"))
        if rng.random() < 0.1:
            other = rng.choice(passages)
            if other != passage:
                examples.append(Example(question=question, passage=other, source="facqa-random-negative"))
    return examples


def _tydi_examples(rows: list[tuple[str, str, str, tuple[int, int]]], rng: random.Random) -> list[Example]:
    examples, pool_windows = [], []
    for _, question, context, answer in rows:
        found = answer_window(context, answer, rng)
        if found is not None:
            examples.append(Example(question=question, passage=found[0], answer=found[1], source="tydi"))
        others = [(s, e) for s, e, _ in windows(context) if e <= answer[0] or s >= answer[1]]
        if others and rng.random() < 0.4:
            s, e = rng.choice(others)
            examples.append(
                Example(question=question, passage=context[s:e], source="tydi-same-passage-negative")
            )
    contexts = sorted({c for _, _, c, _ in rows})
    for context in contexts:
        pool_windows += [context[s:e] for s, e, _ in windows(context)]
    pool = Bm25Pool(pool_windows)
    chosen = [row for row in rows if rng.random() < 0.4]
    answers = [c[a[0] : a[1]] for _, _, c, a in chosen]
    for (_, question, context, _), negative in zip(
        chosen, pool.hard_negatives([r[1] for r in chosen], answers)
    ):
        if negative is not None and negative not in context:
            examples.append(Example(question=question, passage=negative, source="tydi-bm25-negative"))
    return examples


def _near_miss_examples(articles: list[str], questions: list[str]) -> list[Example]:
    """Questions on the subject whose answer the articles lack, over their best BM25 windows."""
    pool_windows = [text[s:e] for text in articles for s, e, _ in windows(text)]
    pool = Bm25Pool(pool_windows)
    tokens = bm25s.tokenize(questions, stopwords=None, show_progress=False)
    found, _ = pool.retriever.retrieve(tokens, k=3, show_progress=False, n_threads=1)
    return [
        Example(question=q, passage=pool_windows[j], source="near-miss")
        for q, row in zip(questions, found)
        for j in row
        for _ in range(2)
    ]


# A capitalised word past the first, or a number that is not part of a date like "5/9".
_NAME_OR_NUMBER = re.compile(r"(?<!^)\b(?:[A-Z][\w'’-]{2,}|(?<![/\d])\d[\d.,]*(?![/\d]))")
SWAP_SHARE = 0.35


def swap_name(question: str, passage: str, names: list[str], rng: random.Random) -> str | None:
    """The question with one of its names or numbers that the passage holds replaced by one of
    `names` that the passage lacks; None if it has none the passage holds."""
    lowered = passage.lower()
    held = [
        m
        for m in _NAME_OR_NUMBER.finditer(question)
        if m.group().lower() not in FUNCTION_WORDS and m.group() in passage  # as a name, not "grand"
    ]
    if not held:
        return None
    chosen = rng.choice(held)
    digits = chosen.group()[0].isdigit()
    choices = [n for n in names if n[0].isdigit() == digits and n.lower() not in lowered]
    if not choices:
        return None
    return question[: chosen.start()] + rng.choice(choices) + question[chosen.end() :]


def _swapped_questions(examples: list[Example], rng: random.Random) -> Iterator[Example]:
    """No-answer copies of answerable examples, a name or number of the question swapped for one
    from another question of the same source."""
    for source in ("facqa", "tydi"):
        answerable = [e for e in examples if e.source == source]
        names = sorted({m.group() for e in answerable for m in _NAME_OR_NUMBER.finditer(e.question)})
        for example in answerable:
            if rng.random() > SWAP_SHARE:
                continue
            swapped = swap_name(example.question, example.passage, names, rng)
            if swapped:
                yield Example(question=swapped, passage=example.passage, source=source + "-swapped-name")


def _code_switched(
    examples: list[Example], en_id: dict[str, list[str]], id_en: dict[str, list[str]], rng: random.Random
) -> Iterator[Example]:
    for example in list(examples):
        english = example.source.startswith("tydi")
        switchable = example.answer is not None or "bm25" in example.source or example.source == "near-miss"
        if not switchable or rng.random() > (0.25 if english else 0.3):
            continue
        switched = code_switch(example.question, en_id if english else id_en, rng, rate=0.7)
        if switched:
            yield example.model_copy(update={"question": switched, "source": example.source + "-switched"})


def write_jsonl(examples: Iterable[Example], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for example in examples:
            handle.write(example.model_dump_json() + "\n")


def read_jsonl(path: Path) -> list[Example]:
    with path.open(encoding="utf-8") as handle:
        return [Example.model_validate_json(line) for line in handle if line.strip()]
