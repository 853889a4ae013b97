"""Acronyms of the names a text writes out: a question may say "IAEA" where the report says
"International Atomic Energy Agency", or "PBB" for "Perserikatan Bangsa-Bangsa"."""

from collections.abc import Iterable

MAX_LETTERS = 8
# Lowercase words inside a name that give no letter: "Organization of the Petroleum Exporting Countries";
# "and" joins two names more often than it stands inside one.
_CONNECTORS = frozenset("of the for on untuk".split())


def is_acronym(word: str) -> bool:
    return 2 <= len(word) <= MAX_LETTERS and word.isalpha() and word.isupper()


def acronyms(words: Iterable[str]) -> set[str]:
    """The initials of every run of capitalized words (connectors give none) and of each run's
    contiguous parts of two or more words: "Direktur Badan Pusat Statistik" gives "BPS" too."""
    found: set[str] = set()
    run: list[str] = []
    for word in [*words, ""]:
        if word[:1].isupper():
            run.append(word[0])
        elif not (run and word.lower() in _CONNECTORS):
            found.update(
                "".join(run[i:j])
                for i in range(len(run))
                for j in range(i + 2, min(len(run), i + MAX_LETTERS) + 1)
            )
            run = []
    return found
