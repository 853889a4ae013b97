"""FacQA (IndoNLU): factoid questions over Kompas passages, read as articles and gold spans.

The CSV holds Python list literals of tokens (question, passage, one BIO tag per passage token);
see ../shared/datasets/facqa/README.md. Read into a passage set (evaluation/passages.py): each distinct
passage becomes one article file, so the bot must find the passage itself before it can state the fact.
"""

import ast
import csv
from pathlib import Path

from evaluation.passages import PassageCollector, PassageQuestion, PassageSet

_NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", ")", "]", "%"}
_NO_SPACE_AFTER = {"(", "["}


def detokenize(tokens: list[str]) -> str:
    """Tokens back into text: punctuation against its word, quotes around what they quote,
    and the joins the tokenizer split ("ke - 10", "1990 - an", "AFP / AP", "rata - rata")."""
    out = ""
    glue_next = False
    open_quote = False
    for index, token in enumerate(tokens):
        previous = tokens[index - 1] if index else ""
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        glue = glue_next or not out or token in _NO_SPACE_BEFORE or token == "/" or previous == "/"
        glue_next = token in _NO_SPACE_AFTER
        if token == '"':
            glue = glue or open_quote  # a closing quote leans on the word before it
            glue_next = not open_quote  # an opening quote leans on the word after it
            open_quote = not open_quote
        elif token == "-" and _joins(previous, following):
            glue, glue_next = True, True
        out += token if glue else " " + token
    return out


def _joins(left: str, right: str) -> bool:
    """A hyphen inside a word ("ke-10", "1990-an", "GA-181", "rata-rata"), not a dateline dash."""
    return (
        left.lower() == "ke"
        or right.lower() == "an"
        or left.lower() == right.lower()
        or (right.isdigit() and (left[-1:].isupper() or left.isdigit()))
    )


def read_facqa(path: Path) -> PassageSet:
    """Questions with their gold span, and each distinct passage once, in the file's order."""
    collector = PassageCollector("facqa", "FacQA")  # untitled: "FacQA 0001", as the articles always were
    questions: list[PassageQuestion] = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            tokens = ast.literal_eval(row["passage"])
            gold = detokenize(gold_tokens(tokens, ast.literal_eval(row["seq_label"])))
            questions.append(
                PassageQuestion(
                    question=detokenize(ast.literal_eval(row["question"])),
                    passage_id=collector.id_of(detokenize(tokens)),
                    golds=[gold],
                )
            )
    return PassageSet(
        name="FacQA",
        source="FacQA (IndoNLU), Apache-2.0",
        language="id",
        passages=collector.passages,
        questions=questions,
    )


def gold_tokens(tokens: list[str], labels: list[str]) -> list[str]:
    """The tokens of the first B..I span (FacQA has exactly one per question)."""
    start = labels.index("B")
    end = start + 1
    while end < len(labels) and labels[end] == "I":
        end += 1
    return tokens[start:end]
