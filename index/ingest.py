"""Articles into paragraphs into sentences, with offsets into the file and their section heading."""

from collections.abc import Iterable

from pydantic import BaseModel

from index.models import Article, Paragraph, Sentence
from index.sentences import is_heading, paragraph_spans, sentence_spans, strip_markdown_heading


class Passages(BaseModel):
    """What an index is made of: the sentences to search, the paragraphs to show as context."""

    sentences: list[Sentence]
    paragraphs: list[Paragraph]


def split_article(article: Article, first_sentence_id: int = 0) -> Passages:
    """Split one article; heading paragraphs become context for the sentences below them."""
    sentences: list[Sentence] = []
    paragraphs: list[Paragraph] = []
    heading: str | None = None
    for number, (start, end) in enumerate(paragraph_spans(article.text), start=1):
        text = article.text[start:end]
        if is_heading(text):
            heading = strip_markdown_heading(text)  # "## Latar ##", "**Latar**" -> "Latar"
            paragraphs.append(
                Paragraph(
                    article_id=article.id,
                    number=number,
                    heading=heading,
                    is_heading=True,
                    start=start,
                    end=end,
                    text=text,
                )
            )
            continue
        paragraphs.append(
            Paragraph(article_id=article.id, number=number, heading=heading, start=start, end=end, text=text)
        )
        for s_start, s_end in sentence_spans(article.text, start, end):
            sentences.append(
                Sentence(
                    id=first_sentence_id + len(sentences),
                    article_id=article.id,
                    title=article.title,
                    paragraph=number,
                    heading=heading,
                    start=s_start,
                    end=s_end,
                    text=article.text[s_start:s_end],
                    url=article.meta.url,
                )
            )
    return Passages(sentences=sentences, paragraphs=paragraphs)


def split_articles(articles: Iterable[Article]) -> Passages:
    """Split every article, numbering sentences across the whole corpus."""
    sentences: list[Sentence] = []
    paragraphs: list[Paragraph] = []
    for article in articles:
        passages = split_article(article, first_sentence_id=len(sentences))
        sentences.extend(passages.sentences)
        paragraphs.extend(passages.paragraphs)
    return Passages(sentences=sentences, paragraphs=paragraphs)
