"""Plain data that crosses module boundaries: articles, sentences, the manifest, search hits."""

from datetime import datetime

from pydantic import BaseModel, Field


class ArticleMeta(BaseModel):
    """What sits beside an article in `<name>.meta.json`; every field optional."""

    title: str | None = None
    date: str | None = Field(
        None, description="Publication date: ISO (2027-11-19) or as written (23 Juli 2027)."
    )
    language: str | None = None
    source: str | None = None
    outlet: str | None = Field(None, description="Who published it: a site's name or a channel's title.")
    url: str | None = None
    added_by: int | None = Field(None, description="Telegram user id of the admin who added it.")
    added_at: datetime | None = None
    via: str | None = Field(None, description="How it came in: link, forward, feed, upload.")
    examples: dict[str, list[str]] = Field(
        default_factory=dict, description="Example questions by language code, offered as suggestions."
    )


class Article(BaseModel):
    """One article file, read and checked."""

    id: str = Field(description="The file name without extension; stable across rebuilds.")
    path: str
    title: str
    meta: ArticleMeta
    sha256: str
    text: str = Field(repr=False)


class Sentence(BaseModel):
    """One sentence of an article, with where it came from."""

    id: int
    article_id: str
    title: str
    paragraph: int = Field(description="1-based paragraph number in the article.")
    heading: str | None = Field(None, description="The section heading it falls under.")
    start: int = Field(description="Character offset of the sentence in the article file.")
    end: int
    text: str
    url: str | None = None


class ArticleInfo(BaseModel):
    """What the bot tells about an article (/sources, suggestions) without reading the file."""

    id: str
    title: str
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = Field(None, description="As its meta file gives it: id, en; None when unknown.")
    added_at: datetime | None = None
    sentence_count: int
    examples: dict[str, list[str]] = {}


class Manifest(BaseModel):
    """Written last into a build; loading checks it against the configured model and files."""

    format_version: int = 1
    model_name: str
    model_checksum: str
    dimension: int
    articles: dict[str, str] = Field(description="Article id -> sha256 of the file.")
    catalog: list[ArticleInfo] = []
    sentence_count: int
    paragraph_count: int
    built_at: datetime
    build_seconds: float
    files: dict[str, str] = Field(description="File name in the build -> its sha256.")


class Hit(BaseModel):
    """A retrieved sentence and how it scored."""

    sentence: Sentence
    score: float = Field(description="The fused score used for ranking.")
    dense_score: float | None = None
    lexical_score: float | None = None


class Paragraph(BaseModel):
    """A paragraph, kept so that a reply can show the whole context of a quote."""

    article_id: str
    number: int
    heading: str | None = None
    is_heading: bool = False
    start: int
    end: int
    text: str
