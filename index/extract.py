"""A news page's article: its text without menus, ads, "baca juga" boxes, related links, comments
and footers (trafilatura), its title, outlet, canonical URL (trafilatura's metadata) and date
(htmldate, else an Indonesian or English date written near the top of the text, read by dateparser).
"""

import re
from datetime import date, timedelta

import dateparser
import trafilatura
from pydantic import BaseModel
from trafilatura.utils import decode_file

# htmldate refuses dates after today by default; the project's articles are dated 2027.
_DATE_HORIZON_DAYS = 366 * 10
_DATE_SEARCH_CHARS = 600  # a date written in the text stands near its top (dateline, byline)
_MIN_ARTICLE_CHARS = 200
# Lines trafilatura keeps from the body but that belong to the page: cross-links and ad labels.
_PAGE_LINES = re.compile(
    r"^\s*(baca juga|baca selengkapnya|simak juga|lihat juga|read more|related|see also|advertisement|"
    r"scroll to continue|iklan)\b",
    re.IGNORECASE,
)
_MONTHS = (
    r"jan(?:uari|uary)?|feb(?:ruari|ruary)?|mar(?:et|ch)?|apr(?:il)?|mei|may|jun[ei]?|jul[iy]?|"
    r"ag(?:u|ustus)|aug(?:ust)?|sep(?:t|tember)?|okt(?:ober)?|oct(?:ober)?|nov(?:ember)?|des(?:ember)?|dec(?:ember)?"
)
_WRITTEN_DATE = re.compile(
    rf"\b(\d{{1,2}})\s+({_MONTHS})\.?\s+(\d{{4}})\b|\b(\d{{1,2}})/(\d{{1,2}})/(\d{{4}})\b", re.IGNORECASE
)


class ExtractError(ValueError):
    """The page holds no article text."""


class ExtractedArticle(BaseModel):
    title: str | None
    outlet: str | None
    date: str | None  # ISO, e.g. 2027-11-19
    url: str
    language: str | None
    text: str  # one paragraph (or heading) a line


def decode_html(body: bytes, encoding: str | None) -> str:
    """The page as text: the charset the server declared, else trafilatura's guess."""
    if encoding:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_file(body)


def extract_article(page_html: str, url: str, today: date | None = None) -> ExtractedArticle:
    """Raises ExtractError when no article text is found."""
    # Not `deduplicate=True`: its cache is process-wide, so the same page read twice loses its text.
    text = trafilatura.extract(
        page_html,
        url=url,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )
    lines = [
        line.strip() for line in (text or "").splitlines() if line.strip() and not _PAGE_LINES.match(line)
    ]
    horizon = (today or date.today()) + timedelta(days=_DATE_HORIZON_DAYS)
    meta = trafilatura.extract_metadata(
        page_html,
        default_url=url,
        date_config={"max_date": horizon.isoformat(), "original_date": True, "extensive_search": True},
    )
    if lines and meta and meta.title and lines[0].casefold() == meta.title.strip().casefold():
        lines = lines[1:]  # the headline, kept as the title, not as the first paragraph
    body = "\n".join(lines)
    if len(body) < _MIN_ARTICLE_CHARS:
        raise ExtractError(f"no article text found (only {len(body)} characters of text)")
    return ExtractedArticle(
        title=meta.title if meta else None,
        outlet=(meta.sitename if meta else None) or None,
        date=(meta.date if meta else None) or written_date(body),
        url=(meta.url if meta and meta.url and meta.url.startswith("http") else url),
        language=(meta.language if meta else None),
        text=body,
    )


def written_date(text: str) -> str | None:
    """The first date written near the top of the text ("Rabu, 1 Desember 2027", "19/11/2027")."""
    found = _WRITTEN_DATE.search(text[:_DATE_SEARCH_CHARS])
    if found is None:
        return None
    parsed = dateparser.parse(
        found.group(0), languages=["id", "en"], settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"}
    )
    return parsed.date().isoformat() if parsed else None
