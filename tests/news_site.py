"""A local news site for the tests: realistic article pages (tests/pages/), a feed, and every way a
link can go wrong. It runs in its own thread so that synchronous tests (the end-to-end ones, where
the bot is another process) and asynchronous ones can both use it, and it records each request
so a test can tell that a page was never fetched.

It listens on 127.0.0.2 (loopback, so refused by the fetch guard), and tests allow exactly that
one address with FETCH_ALLOWED_NETWORKS: the guard stays on, and a redirect to 127.0.0.1 is
refused by it.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Self

from aiohttp import web

PAGES = Path(__file__).parent / "pages"
HOST = "127.0.0.2"
ALLOWED_NETWORK = f"{HOST}/32"
SIZE_CAP = 100_000  # FETCH_MAX_BYTES in the tests
TIME_CAP = 1.0  # FETCH_TIMEOUT_SECONDS in the tests
ARTICLES = {
    "/internasional/2027/11/19/putaran-baru-perundingan-jenewa": "kabar_jenewa.html",
    "/world/2027/nov/26/ukraine-russia-ceasefire-zaporizhzhia": "ledger_next_round.html",
    "/dunia/mediator-turki-usulkan-zona-demiliterisasi": "damai_tanpa_meta.html",
    "/indeks": "index_page.html",
    "/olahraga/2027/11/25/timnas-tekuk-vietnam": "olahraga.html",
}
JENEWA = "/internasional/2027/11/19/putaran-baru-perundingan-jenewa"
LEDGER = "/world/2027/nov/26/ukraine-russia-ceasefire-zaporizhzhia"
TURKI = "/dunia/mediator-turki-usulkan-zona-demiliterisasi"
SPORT = "/olahraga/2027/11/25/timnas-tekuk-vietnam"


class NewsSite:
    """Start with `with NewsSite() as site:`; `site.url(path)` gives a page's link."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.feed_items: list[tuple[str, str]] = []  # (title, path) served by /feed.xml
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self.port = 0

    def __enter__(self) -> Self:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def url(self, path: str, host: str = HOST) -> str:
        return f"http://{host}:{self.port}{path}"

    def fetched(self, path: str) -> bool:
        return any(r.split("?")[0] == path for r in self.requests)

    async def _start(self) -> None:
        app = web.Application()
        app.middlewares.append(self._record)
        app.router.add_get("/feed.xml", self._feed)
        app.router.add_get("/missing", _status(404, "<h1>404 Halaman tidak ditemukan</h1>"))
        app.router.add_get("/broken", _status(503, "<h1>Service Unavailable</h1>"))
        app.router.add_get("/laporan.pdf", self._pdf)
        app.router.add_get("/huge", self._huge)
        app.router.add_get("/huge-chunked", self._huge_chunked)
        app.router.add_get("/loop-a", _redirect("/loop-b"))
        app.router.add_get("/loop-b", _redirect("/loop-a"))
        app.router.add_get("/hop/{n}", self._hop)
        app.router.add_get("/slow", self._slow)
        app.router.add_get("/to-localhost", self._to_localhost)
        app.router.add_get("/to-metadata", _redirect("http://169.254.169.254/latest/meta-data/"))
        app.router.add_get("/short/jenewa", _redirect(JENEWA))
        app.router.add_get("/{path:.*}", self._article)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        # The same site on 127.0.0.1: were the guard missing, a redirect there would succeed.
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    @web.middleware
    async def _record(self, request: web.Request, handler):
        self.requests.append(request.path_qs)
        return await handler(request)

    async def _article(self, request: web.Request) -> web.Response:
        name = ARTICLES.get(request.path)
        if name is None:
            return web.Response(status=404, text="not found")
        return web.Response(body=(PAGES / name).read_bytes(), content_type="text/html", charset="utf-8")

    async def _feed(self, request: web.Request) -> web.Response:
        items = "".join(
            f"<item><title>{title}</title><link>{self.url(path)}</link><guid>{self.url(path)}</guid>"
            f"<pubDate>Fri, 26 Nov 2027 09:15:00 +0000</pubDate></item>"
            for title, path in self.feed_items
        )
        rss = (
            f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Kabar Nusantara - '
            f"Internasional</title><link>{self.url('/')}</link><description>Berita internasional</description>"
            f"{items}</channel></rss>"
        )
        return web.Response(text=rss, content_type="application/rss+xml")

    async def _pdf(self, request: web.Request) -> web.Response:
        body = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
        return web.Response(body=body, content_type="application/pdf")

    async def _huge(self, request: web.Request) -> web.Response:
        return web.Response(text=_big_page(), content_type="text/html")

    async def _huge_chunked(self, request: web.Request) -> web.StreamResponse:
        """No Content-Length: the cap must hold while the body streams in."""
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(40):
            await response.write(b"<p>" + b"Perundingan damai berlanjut. " * 200 + b"</p>")
        await response.write_eof()
        return response

    async def _hop(self, request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        raise web.HTTPFound(f"/hop/{n + 1}" if n < 10 else JENEWA)

    async def _slow(self, request: web.Request) -> web.Response:
        await asyncio.sleep(TIME_CAP * 3)
        return web.Response(text="<html><body><p>terlambat</p></body></html>", content_type="text/html")

    async def _to_localhost(self, request: web.Request) -> web.Response:
        raise web.HTTPFound(f"http://127.0.0.1:{self.port}{JENEWA}")


def _status(code: int, text: str):
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=code, text=text, content_type="text/html")

    return handler


def _redirect(location: str):
    async def handler(request: web.Request) -> web.Response:
        raise web.HTTPFound(location)

    return handler


def _big_page() -> str:
    paragraph = "<p>Perundingan damai berlanjut di Jenewa dengan pembahasan panjang. </p>"
    return "<html><body>" + paragraph * (SIZE_CAP // len(paragraph) + 50) + "</body></html>"
