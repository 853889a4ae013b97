"""Lexical search: BM25 (bm25s) over Indonesian-stemmed tokens (PySastrawi).

Dense search misses exact numbers and names; BM25 misses paraphrases. The retriever fuses both.
"""

import logging
import re
from functools import cache

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

# bm25s sets its own logger to DEBUG when imported; its per-build message is noise for us.
logging.getLogger("bm25s").setLevel(logging.WARNING)

# A word, or a number with its separators kept whole ("1.200", "3,5").
WORD = re.compile(r"\w+(?:[.,]\d+)*")
# Chat Indonesian writes common words short; these are the usual spellings, not this corpus's words.
CHAT_SPELLINGS = {
    "yg": "yang",
    "dgn": "dengan",
    "utk": "untuk",
    "tdk": "tidak",
    "gak": "tidak",
    "ga": "tidak",
    "nggak": "tidak",
    "enggak": "tidak",
    "blm": "belum",
    "udh": "sudah",
    "udah": "sudah",
    "sdh": "sudah",
    "brp": "berapa",
    "dr": "dari",
    "dlm": "dalam",
    "kpn": "kapan",
    "knp": "kenapa",
    "gmn": "bagaimana",
    "gimana": "bagaimana",
    "dmn": "dimana",
    "sm": "sama",
    "aja": "saja",
    "jg": "juga",
    "krn": "karena",
    "tp": "tapi",
    "sblm": "sebelum",
    "stlh": "setelah",
    "org": "orang",
    "bgmn": "bagaimana",
    "kyk": "seperti",
    "spt": "seperti",
    "pd": "pada",
    "bs": "bisa",
    "sy": "saya",
    "tsb": "tersebut",
    "trs": "terus",
    "lg": "lagi",
    "bnyk": "banyak",
    "byk": "banyak",
    "ttg": "tentang",
    "msh": "masih",
    "pls": "tolong",
    "apaan": "apa",
}
# "sedang", "belum" and "masih" tell an ongoing or unfinished state from a done one ("is the
# exchange under way?"): words a question turns on, so they are searched, not dropped.
STATE_WORDS = frozenset("sedang belum masih".split())
FUNCTION_WORDS = frozenset(StopWordRemoverFactory().get_stop_words()) | frozenset(STOPWORDS_EN)
STOPWORDS = FUNCTION_WORDS - STATE_WORDS


def expand_chat_spellings(text: str) -> str:
    """'brp tahanan yg dituker' -> 'berapa tahanan yang dituker' (helps the dense model too)."""
    return WORD.sub(lambda m: CHAT_SPELLINGS.get(m.group().lower(), m.group()), text)


class Tokenizer:
    """Lowercase words, chat spellings expanded, stop words dropped, Indonesian stems."""

    def __init__(self) -> None:
        self._stemmer = StemmerFactory().create_stemmer()
        self._stems: dict[str, str] = {}

    def tokens(self, text: str) -> list[str]:
        words = (CHAT_SPELLINGS.get(w, w) for w in WORD.findall(text.lower()))
        return [self.stem(w) for w in words if w not in STOPWORDS or w[0].isdigit()]

    def stem(self, word: str) -> str:
        if word not in self._stems:
            self._stems[word] = self._stem_uncached(word)
        return self._stems[word]

    def _stem_uncached(self, word: str) -> str:
        if word[0].isdigit():
            return word
        stem = self._stemmer.stem(word)
        if stem != word or self._is_root(word) or len(word) < 5:
            return stem or word
        # Not formal Indonesian: try the formal words chat forms stand for, keep one Sastrawi knows.
        for formal in formal_candidates(word):
            stem = self._stemmer.stem(formal)
            if self._is_root(stem):
                return stem
        return word

    @staticmethod
    def _is_root(word: str) -> bool:
        return word in root_words()


@cache
def root_words() -> frozenset[str]:
    """Sastrawi's dictionary of Indonesian root words (about 30,000), read once."""
    return frozenset(StemmerFactory().get_words())


# Colloquial Jakarta forms: "ngusulin" = "mengusulkan", "nyerang" = "menyerang", "dituker" = "ditukar".
_CHAT_PREFIXES = (("nge", ""), ("ng", "meng"), ("ny", "meny"), ("n", "men"), ("m", "mem"))
_CHAT_SUFFIXES = (("in", "kan"), ("in", "i"), ("", ""))


def formal_candidates(word: str) -> list[str]:
    """Formal spellings a chat word may stand for, most likely first (Sastrawi checks them)."""
    stems = [word[: len(word) - len(chat)] + formal for chat, formal in _CHAT_SUFFIXES if word.endswith(chat)]
    # Chat Indonesian turns a final-syllable "a" into "e": tuker = tukar, dapet = dapat.
    stems += [s[:-2] + "a" + s[-1] for s in list(stems) if len(s) > 3 and s[-2] == "e"]
    with_prefixes = [
        formal + s[len(chat) :] for s in stems for chat, formal in _CHAT_PREFIXES if s.startswith(chat)
    ]
    return stems + with_prefixes


class LexicalIndex:
    """BM25 scores of every sentence for a query."""

    def __init__(self, texts: list[str], tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self._size = len(texts)
        self._bm25 = bm25s.BM25()
        corpus = [tokenizer.tokens(t) or ["\u2205"] for t in texts]
        self._bm25.index(corpus, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in self.tokenizer.tokens(query) if t in self._vocabulary]
        if not tokens or self._size == 0:
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    @property
    def _vocabulary(self) -> dict[str, int]:
        return self._bm25.vocab_dict
