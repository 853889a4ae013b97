"""An article's key facts for an alert: its sentences that state numbers, dates, places and
agreements, quoted as written. A sentence scores one point for each kind it states; the best come
first, and among equals the earlier one (news puts the main facts first)."""

import re

from bot.answers.facts import DATE, MONTH_PHRASE, has_fact
from bot.answers.question import QuestionType
from index.models import Sentence

AGREEMENT = re.compile(
    r"\b(?:sepakat|bersepakat|disepakati|menyepakati|kesepakatan|perjanjian|setuju|menyetujui|"
    r"agreed?|agreements?|accord|deal|signed|menandatangani|ditandatangani)\b",
    re.IGNORECASE,
)
MAX_FACTS = 4
# A heading ("Usulan Gencatan Senjata") or a fragment states nothing worth quoting.
MIN_WORDS = 6


def kinds_of_fact(text: str) -> set[str]:
    """Which kinds of fact the sentence states."""
    kinds = set()
    # Not has_fact's "when": it takes a clause such as "before the match" for a date.
    if DATE.search(text) or MONTH_PHRASE.search(text):
        kinds.add("date")
    if has_fact(text, QuestionType.how_many):  # numbers that are not part of a date
        kinds.add("number")
    if has_fact(text, QuestionType.where):
        kinds.add("place")
    if AGREEMENT.search(text):
        kinds.add("agreement")
    return kinds


def key_facts(sentences: list[Sentence], limit: int = MAX_FACTS) -> list[Sentence]:
    """The article's (its sentences in order) best fact-stating sentences, best first."""
    scored = [
        (len(kinds_of_fact(s.text)), position, s)
        for position, s in enumerate(sentences)
        if len(s.text.split()) >= MIN_WORDS
    ]
    best = sorted((item for item in scored if item[0] > 0), key=lambda item: (-item[0], item[1]))
    return [s for _, _, s in best[:limit]]
