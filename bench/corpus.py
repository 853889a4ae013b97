"""Generated articles for benchmarks: real sentences for the real model, made from the seed's
and the background's words, deterministic, never committed (they go into a tmp folder)."""

import random
import re
from pathlib import Path

from bot.answers.gate import BACKGROUND_FILE

REPO = Path(__file__).resolve().parents[1]
SENTENCES_PER_PARAGRAPH = 5
PARAGRAPHS_PER_ARTICLE = 10


def vocabulary() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in (REPO / "seeds").glob("*.txt")]
    texts.append(BACKGROUND_FILE.read_text(encoding="utf-8"))
    words = {w for text in texts for w in re.findall(r"[A-Za-z]{3,}", text)}
    return sorted(words)


def sentence(rng: random.Random, words: list[str]) -> str:
    body = rng.sample(words, rng.randint(10, 20))
    if rng.random() < 0.5:
        body.insert(rng.randrange(len(body)), f"{rng.randint(2, 99)}.{rng.randint(0, 999):03d}")
    return " ".join(body).capitalize() + "."


def article(rng: random.Random, words: list[str]) -> str:
    paragraphs = (
        " ".join(sentence(rng, words) for _ in range(SENTENCES_PER_PARAGRAPH))
        for _ in range(PARAGRAPHS_PER_ARTICLE)
    )
    return "\n".join(paragraphs) + "\n"


def write_corpus(folder: Path, sentences: int, seed: int = 0, prefix: str = "gen") -> list[Path]:
    """About `sentences` sentences, as articles of 50 sentences each."""
    rng = random.Random(seed)
    words = vocabulary()
    folder.mkdir(parents=True, exist_ok=True)
    per_article = SENTENCES_PER_PARAGRAPH * PARAGRAPHS_PER_ARTICLE
    paths = []
    for number in range(max(1, sentences // per_article)):
        path = folder / f"{prefix}_{seed}_{number:05d}.txt"
        path.write_text(article(rng, words), encoding="utf-8")
        paths.append(path)
    return paths
