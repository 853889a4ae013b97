"""When an article is about a subject a chat follows ("tawanan", "gencatan senjata", "ceasefire").

A word that merely appears is not enough: the pelabuhan report that says in its last line that "the
prisoner issue will be discussed elsewhere" is not a report about prisoners. An article is about the
subject when the subject is
- in its title or its lead paragraph (where news puts what a report is about), or
- in two or more of its sentences, or
- in a sentence that states a key fact (a number, a date, a place, an agreement: key_facts.py).

The subject's words are found as written or in translation (the glossary and the dictionary of
bot/answers/lexicon.py), so "tawanan" finds "prisoners of war" in an English report and "ceasefire"
finds "gencatan senjata". Not by stems or the thesaurus' synonyms: Sastrawi reads "ketahanan" (pangan)
as "tahan", and the thesaurus gives "tawanan" the synonyms "sakit" and "hukum".

Why not the embedder or the reader: measured on the test reports (docs/alerts.md), e5-small's
similarity to a one- or two-word subject does not separate them (the three sentences of the seed
nearest to "tawanan" are not about prisoners; its best sentence trails the background by 0.018 while
the passing mention leads it), and the span reader asked "What was agreed about <subject>?" finds a
positive span in English reports whatever the subject ("pemilu": +5.4).
"""

import re

from bot.alerts.key_facts import kinds_of_fact
from bot.answers.lexicon import Lexicon, english_forms
from index.lexical import STOPWORDS, WORD
from index.models import Sentence

MAX_SUBJECT_CHARS = 60
MIN_MENTIONS = 2
_SPACES = re.compile(r"\s+")


def normalize_subject(text: str) -> str | None:
    """The subject as stored (lowercase, single spaces), or None when it is empty or too long."""
    subject = _SPACES.sub(" ", text.strip().strip("\"'“”«»")).lower()
    if not subject or len(subject) > MAX_SUBJECT_CHARS or not any(c.isalpha() for c in subject):
        return None
    return subject


class SubjectMatcher:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    @staticmethod
    def words(subject: str) -> list[str]:
        """The subject's content words (what must be found); none for "dan yang" or "2027"."""
        return [w for w in WORD.findall(subject.lower()) if w not in STOPWORDS and not w.isdigit()]

    def mentions(self, words: list[str], text: str) -> bool:
        """Every word of the subject is in the text, as written or in translation."""
        found = set(WORD.findall(text.lower()))
        return bool(words) and all(self._covered(word, found) for word in words)

    def _covered(self, word: str, found: set[str]) -> bool:
        if word in found or any(word in self.lexicon.translate(w) for w in found):
            return True  # "tawanan" in an English report: "prisoners" translates to it
        english = set(english_forms(word))
        return bool(english & found) or any(english & self.lexicon.english_of(w) for w in found)

    def about(self, subject: str, title: str, sentences: list[Sentence]) -> bool:
        """Whether the article (its title and its sentences, in order) is about the subject."""
        words = self.words(subject)
        if not words or not sentences:
            return False
        lead = sentences[0].paragraph
        if self.mentions(words, title) or any(
            self.mentions(words, s.text) for s in sentences if s.paragraph == lead
        ):
            return True
        mentioning = [s for s in sentences if self.mentions(words, s.text)]
        return len(mentioning) >= MIN_MENTIONS or any(kinds_of_fact(s.text) for s in mentioning)
