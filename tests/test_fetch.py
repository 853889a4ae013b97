"""Fetching a page by link against a local news site: caps, redirects and the address guard."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest

from index.fetch import FetchError, FetchFailure, Resolver, fetch_page, forbidden_reason
from index.settings import IndexSettings
from tests.news_site import ALLOWED_NETWORK, JENEWA, SIZE_CAP, TIME_CAP, NewsSite


@pytest.fixture(scope="module")
def site() -> Iterator[NewsSite]:
    with NewsSite() as running:
        yield running


def guarded(**changes: object) -> IndexSettings:
    """The guard on, with only the test site's own address let through."""
    values: dict[object, object] = {
        "fetch_max_bytes": SIZE_CAP,
        "fetch_timeout_seconds": TIME_CAP,
        "fetch_allowed_networks": ALLOWED_NETWORK,
        "allow_private_urls": False,
    }
    values.update(changes)
    return IndexSettings(_env_file=None, **values)


async def failure_of(url: str, settings: IndexSettings, resolver: Resolver | None = None) -> FetchError:
    with pytest.raises(FetchError) as raised:
        await fetch_page(url, settings, resolver=resolver)
    return raised.value


async def test_a_news_page_is_fetched_with_its_bytes(site: NewsSite) -> None:
    page = await fetch_page(site.url(JENEWA), guarded())
    assert page.content_type == "text/html"
    assert "Putaran perundingan berikutnya" in page.text()


async def test_a_redirect_is_followed_to_the_article(site: NewsSite) -> None:
    page = await fetch_page(site.url("/short/jenewa"), guarded())
    assert page.url == site.url(JENEWA)


async def test_a_404_is_a_http_status_failure(site: NewsSite) -> None:
    error = await failure_of(site.url("/missing"), guarded())
    assert error.failure == FetchFailure.HTTP_STATUS and "404" in error.detail


async def test_a_server_error_is_a_http_status_failure(site: NewsSite) -> None:
    error = await failure_of(site.url("/broken"), guarded())
    assert error.failure == FetchFailure.HTTP_STATUS and "503" in error.detail


async def test_a_pdf_is_not_html(site: NewsSite) -> None:
    error = await failure_of(site.url("/laporan.pdf"), guarded())
    assert error.failure == FetchFailure.NOT_HTML and "application/pdf" in error.detail


async def test_a_page_over_the_size_cap_is_refused(site: NewsSite) -> None:
    error = await failure_of(site.url("/huge"), guarded())
    assert error.failure == FetchFailure.TOO_LARGE


async def test_a_streamed_page_without_length_is_capped_too(site: NewsSite) -> None:
    error = await failure_of(site.url("/huge-chunked"), guarded())
    assert error.failure == FetchFailure.TOO_LARGE


async def test_a_redirect_loop_is_named(site: NewsSite) -> None:
    error = await failure_of(site.url("/loop-a"), guarded())
    assert error.failure == FetchFailure.REDIRECT_LOOP


async def test_more_than_five_redirects_are_refused(site: NewsSite) -> None:
    error = await failure_of(site.url("/hop/1"), guarded())
    assert error.failure == FetchFailure.TOO_MANY_REDIRECTS
    assert site.fetched("/hop/6") and not site.fetched("/hop/7")


async def test_a_page_slower_than_the_time_cap_times_out(site: NewsSite) -> None:
    error = await failure_of(site.url("/slow"), guarded())
    assert error.failure == FetchFailure.TIMEOUT


async def test_only_http_and_https_are_fetched() -> None:
    for url in ("file:///etc/passwd", "ftp://example.com/a", "gopher://x", "javascript:alert(1)"):
        error = await failure_of(url, guarded())
        assert error.failure == FetchFailure.BAD_URL, url


async def test_a_redirect_to_127_0_0_1_is_refused_by_the_guard(site: NewsSite) -> None:
    before = site.requests.count(JENEWA)
    error = await failure_of(site.url("/to-localhost"), guarded())
    assert error.failure == FetchFailure.FORBIDDEN_ADDRESS and "127.0.0.1" in error.detail
    assert site.requests.count(JENEWA) == before


async def test_the_same_redirect_succeeds_only_when_private_urls_are_allowed(site: NewsSite) -> None:
    """Shows that the refusal above is the guard's, not a dead address."""
    page = await fetch_page(site.url("/to-localhost"), guarded(allow_private_urls=True))
    assert page.url.startswith("http://127.0.0.1:")


async def test_a_redirect_to_cloud_metadata_is_refused(site: NewsSite) -> None:
    error = await failure_of(site.url("/to-metadata"), guarded())
    assert error.failure == FetchFailure.FORBIDDEN_ADDRESS and "169.254.169.254" in error.detail


async def test_a_host_name_is_checked_after_dns_resolution(site: NewsSite) -> None:
    before = len(site.requests)
    error = await failure_of(f"http://localhost:{site.port}{JENEWA}", guarded())
    assert error.failure == FetchFailure.FORBIDDEN_ADDRESS
    assert len(site.requests) == before  # refused before any connection


class RebindingResolver(Resolver):
    """Answers a public address for the check; a connection that asked DNS again would get loopback."""

    def __init__(self) -> None:
        self.calls = 0

    async def resolve(self, host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        self.calls += 1
        return [ipaddress.ip_address("127.0.0.2" if host == "berita.test" else "10.0.0.1")]


async def test_any_private_address_among_the_answers_is_refused() -> None:
    error = await failure_of("http://intranet.test/", guarded(), RebindingResolver())
    assert error.failure == FetchFailure.FORBIDDEN_ADDRESS and "10.0.0.1" in error.detail


async def test_the_connection_goes_to_the_checked_address_with_the_host_name_kept(site: NewsSite) -> None:
    resolver = RebindingResolver()
    page = await fetch_page(f"http://berita.test:{site.port}{JENEWA}", guarded(), resolver=resolver)
    assert page.url == f"http://berita.test:{site.port}{JENEWA}" and resolver.calls == 1


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.100.100.200",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "100.64.0.1",
    ],
)
def test_non_public_addresses_are_forbidden(address: str) -> None:
    assert forbidden_reason(ipaddress.ip_address(address), guarded(fetch_allowed_networks="")) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert forbidden_reason(ipaddress.ip_address(address), guarded(fetch_allowed_networks="")) is None


@pytest.fixture
async def tls_site(tmp_path):
    """An https news page for "berita.test" on 127.0.0.2, its certificate from a test CA."""
    import ssl

    import trustme
    from aiohttp import web

    from tests.news_site import HOST, PAGES

    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("berita.test").configure_cert(server_context)
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))

    async def article(request: web.Request) -> web.Response:
        return web.Response(body=(PAGES / "kabar_jenewa.html").read_bytes(), content_type="text/html")

    app = web.Application()
    app.router.add_get(JENEWA, article)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, HOST, 0, ssl_context=server_context)
    await site.start()
    yield site._server.sockets[0].getsockname()[1], bundle
    await runner.cleanup()


async def test_https_goes_to_the_checked_address_and_verifies_the_host_names_certificate(tls_site) -> None:
    port, bundle = tls_site
    page = await fetch_page(
        f"https://berita.test:{port}{JENEWA}", guarded(fetch_ca_bundle=bundle), resolver=RebindingResolver()
    )
    assert "Putaran perundingan berikutnya" in page.text()


async def test_https_with_a_certificate_for_another_name_is_refused(tls_site) -> None:
    port, bundle = tls_site

    class OtherName(Resolver):
        async def resolve(self, host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
            return [ipaddress.ip_address("127.0.0.2")]

    error = await failure_of(
        f"https://lain.test:{port}{JENEWA}", guarded(fetch_ca_bundle=bundle), OtherName()
    )
    assert error.failure == FetchFailure.UNREACHABLE and "CERTIFICATE_VERIFY_FAILED" in error.detail
