"""Fetch one web page by link, safely: http(s) only, capped in size and time, redirects followed
by hand (at most five), and every address checked after DNS resolution (a server-side request
forgery guard) on the first request and on each redirect.

The connection goes to the address that was checked, not to a second DNS answer, so a name that
resolves to a public address once and to 127.0.0.1 the next time (DNS rebinding) cannot slip
through; TLS still verifies the certificate against the host name.
"""

import asyncio
import ipaddress
import socket
import ssl
from enum import StrEnum
from urllib.parse import urljoin, urlsplit, urlunsplit

import certifi
import httpx
from pydantic import BaseModel

from index.settings import IndexSettings

MAX_REDIRECTS = 5
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
_REDIRECT_CODES = {301, 302, 303, 307, 308}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Cloud metadata services that are not already private or link-local (169.254.169.254 is).
_METADATA = (ipaddress.ip_network("100.100.100.200/32"), ipaddress.ip_network("fd00:ec2::254/128"))


class FetchFailure(StrEnum):
    BAD_URL = "bad_url"
    FORBIDDEN_ADDRESS = "forbidden_address"
    TIMEOUT = "timeout"
    HTTP_STATUS = "http_status"
    NOT_HTML = "not_html"
    TOO_LARGE = "too_large"
    REDIRECT_LOOP = "redirect_loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    UNREACHABLE = "unreachable"


class FetchError(Exception):
    """A page that could not be fetched; `failure` says which rule or fault, `detail` the specifics."""

    def __init__(self, failure: FetchFailure, detail: str) -> None:
        super().__init__(f"{failure.value}: {detail}")
        self.failure = failure
        self.detail = detail


class FetchedPage(BaseModel):
    requested_url: str
    url: str  # after redirects
    content_type: str
    body: bytes
    encoding: str | None = None

    def text(self) -> str:
        return self.body.decode(self.encoding or "utf-8", errors="replace")


class Resolver:
    """DNS through the event loop's resolver; tests pass their own for names they invent."""

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def forbidden_reason(address: IPAddress, settings: IndexSettings) -> str | None:
    """Why an address must not be fetched, or None when it may be."""
    if any(address in network for network in settings.fetch_allowed_networks):
        return None
    if settings.allow_private_urls:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:  # ::ffff:127.0.0.1 is 127.0.0.1
        address = mapped
    checks = (
        ("loopback", address.is_loopback),
        ("private", address.is_private),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved or address.is_unspecified),
        ("cloud metadata", any(address in n for n in _METADATA)),
        ("not public", not address.is_global),
    )
    return next((f"{address} is a {name} address" for name, hit in checks if hit), None)


async def checked_address(url: str, settings: IndexSettings, resolver: Resolver) -> IPAddress:
    """The address to connect to for this URL; raises FetchError when the URL or address is not allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(
            FetchFailure.BAD_URL, f"only http and https links can be fetched, not {parts.scheme or 'this'}"
        )
    if not parts.hostname:
        raise FetchError(FetchFailure.BAD_URL, "the link has no host name")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(FetchFailure.BAD_URL, "the link has a wrong port") from None
    try:
        addresses = await resolver.resolve(parts.hostname, port)
    except (OSError, UnicodeError) as error:
        raise FetchError(
            FetchFailure.UNREACHABLE, f"{parts.hostname} could not be resolved ({error})"
        ) from None
    if not addresses:
        raise FetchError(FetchFailure.UNREACHABLE, f"{parts.hostname} has no address")
    for address in addresses:  # all of them: the connection may use any
        reason = forbidden_reason(address, settings)
        if reason:
            raise FetchError(FetchFailure.FORBIDDEN_ADDRESS, f"{parts.hostname}: {reason}")
    return addresses[0]


def tls_context(settings: IndexSettings) -> ssl.SSLContext:
    """certifi's roots, plus FETCH_CA_BUNDLE's when set; host names are checked as usual."""
    context = ssl.create_default_context(cafile=certifi.where())
    if settings.fetch_ca_bundle is not None:
        context.load_verify_locations(cafile=settings.fetch_ca_bundle)
    return context


def pinned_request(client: httpx.AsyncClient, url: str, address: IPAddress) -> httpx.Request:
    """A GET to the checked address, with the host name in Host and in TLS (SNI and certificate)."""
    parts = urlsplit(url)
    host = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{host}:{parts.port}" if parts.port else host
    target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    host_header = parts.netloc.rsplit("@", 1)[-1]
    return client.build_request(
        "GET", target, headers={"Host": host_header}, extensions={"sni_hostname": parts.hostname}
    )


async def fetch_page(
    url: str, settings: IndexSettings, accept: tuple[str, ...] = HTML_TYPES, resolver: Resolver | None = None
) -> FetchedPage:
    """Fetch a page within the settings' caps; raises FetchError with a typed failure."""
    try:
        async with asyncio.timeout(settings.fetch_timeout_seconds):
            return await _fetch(url.strip(), settings, accept, resolver or Resolver())
    except TimeoutError:
        raise FetchError(
            FetchFailure.TIMEOUT, f"no complete answer within {settings.fetch_timeout_seconds:g} s"
        ) from None


async def _fetch(
    url: str, settings: IndexSettings, accept: tuple[str, ...], resolver: Resolver
) -> FetchedPage:
    headers = {"User-Agent": settings.fetch_user_agent, "Accept": ", ".join(accept) + ", */*;q=0.1"}
    seen = [url]
    # No kept-alive connections: the pool is keyed by the pinned address, so a connection opened
    # for one host name (its SNI and certificate) must not carry a request for another.
    async with httpx.AsyncClient(
        headers=headers,
        follow_redirects=False,
        trust_env=False,
        timeout=settings.fetch_timeout_seconds,
        verify=tls_context(settings),
        limits=httpx.Limits(max_keepalive_connections=0),
    ) as client:
        current = url
        while True:
            address = await checked_address(current, settings, resolver)
            try:
                response = await client.send(pinned_request(client, current, address), stream=True)
            except httpx.HTTPError as error:
                reason = str(error)[:200] or type(error).__name__
                raise FetchError(
                    FetchFailure.UNREACHABLE, f"{urlsplit(current).hostname}: {reason}"
                ) from None
            try:
                if response.status_code not in _REDIRECT_CODES:
                    return await _read(response, url, current, settings, accept)
                current = _next_location(response, current, seen)
            finally:
                await response.aclose()


def _next_location(response: httpx.Response, current: str, seen: list[str]) -> str:
    location = response.headers.get("location")
    if not location:
        raise FetchError(FetchFailure.HTTP_STATUS, f"HTTP {response.status_code} without a Location")
    target = urljoin(current, location)
    if target in seen:
        raise FetchError(FetchFailure.REDIRECT_LOOP, f"{target} redirects back to itself")
    if len(seen) > MAX_REDIRECTS:
        raise FetchError(FetchFailure.TOO_MANY_REDIRECTS, f"more than {MAX_REDIRECTS} redirects")
    seen.append(target)
    return target


async def _read(
    response: httpx.Response, requested: str, url: str, settings: IndexSettings, accept: tuple[str, ...]
) -> FetchedPage:
    if response.status_code >= 400:
        raise FetchError(FetchFailure.HTTP_STATUS, f"HTTP {response.status_code} {response.reason_phrase}")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in accept:
        raise FetchError(
            FetchFailure.NOT_HTML, f"the link gives {content_type or 'an unknown type'}, not a web page"
        )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.fetch_max_bytes:
        raise FetchError(
            FetchFailure.TOO_LARGE, f"{int(declared):,} bytes; the limit is {settings.fetch_max_bytes:,}"
        )
    body = bytearray()
    async for chunk in response.aiter_bytes():  # a lying or missing Content-Length is capped too
        body += chunk
        if len(body) > settings.fetch_max_bytes:
            raise FetchError(FetchFailure.TOO_LARGE, f"over {settings.fetch_max_bytes:,} bytes")
    return FetchedPage(
        requested_url=requested,
        url=url,
        content_type=content_type,
        body=bytes(body),
        encoding=response.charset_encoding,
    )
