from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sectracker.errors import SourceError
from sectracker.settings import Settings
from sectracker.sources.http import Fetcher, is_public
from tests.sources.conftest import make_fetcher

PAGE = b"<html><body><p>China donated masks.</p></body></html>"


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=PAGE, headers={"content-type": "text/html; charset=utf-8"})


def test_a_public_page_is_fetched() -> None:
    got = make_fetcher(ok).fetch("https://news.example.org/a")
    assert got.body == PAGE and got.content_type == "text/html" and got.charset == "utf-8"
    assert got.url == "https://news.example.org/a"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x.txt", "gopher://x", "example.org/a"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(SourceError, match="only http and https URLs are fetched"):
        make_fetcher(ok).fetch(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.8.9.10:8080/x",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://0.0.0.0/",
        "http://240.0.0.1/",
        "http://100.64.0.1/",
    ],
)
def test_loopback_private_link_local_and_reserved_addresses_are_refused(url: str) -> None:
    requested: list[httpx.Request] = []
    fetcher = make_fetcher(lambda r: requested.append(r) or ok(r))
    with pytest.raises(SourceError, match="non-public address"):
        fetcher.fetch(url)
    assert requested == []


def test_every_address_of_a_host_is_checked() -> None:
    fetcher = make_fetcher(ok, intranet_example_org=["93.184.216.34", "10.0.0.7"])
    with pytest.raises(SourceError, match=r"intranet.example.org resolves to the non-public address 10.0.0.7"):
        fetcher.fetch("http://intranet.example.org/")


def test_a_host_that_does_not_resolve_is_refused() -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise SourceError(f"cannot resolve host {host!r}: no such host")

    fetcher = Fetcher(Settings(), transport=httpx.MockTransport(ok), resolver=resolver)
    with pytest.raises(SourceError, match="cannot resolve host 'nowhere.invalid'"):
        fetcher.fetch("http://nowhere.invalid/")


def test_private_addresses_are_allowed_when_the_setting_says_so() -> None:
    fetcher = make_fetcher(ok, Settings(fetch_allow_private=True))
    assert fetcher.fetch("http://127.0.0.1:8000/a").body == PAGE


def test_a_redirect_to_a_private_address_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "news.example.org":
            return httpx.Response(302, headers={"location": "http://169.254.169.254/latest/meta-data/"})
        raise AssertionError(f"followed the redirect to {request.url}")

    with pytest.raises(SourceError, match="169.254.169.254.*non-public address"):
        make_fetcher(handler).fetch("https://news.example.org/a")


def test_a_redirect_to_another_scheme_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"location": "file:///etc/passwd"})

    with pytest.raises(SourceError, match="only http and https"):
        make_fetcher(handler).fetch("https://news.example.org/a")


def test_relative_redirects_are_followed_up_to_the_cap(small_settings: Settings) -> None:
    hops: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hops.append(request.url.path)
        n = len(hops)
        if n <= 2:
            return httpx.Response(302, headers={"location": f"/hop{n}"})
        return ok(request)

    got = make_fetcher(handler, small_settings).fetch("https://news.example.org/start")
    assert hops == ["/start", "/hop1", "/hop2"] and got.url == "https://news.example.org/hop2"


def test_too_many_redirects_are_refused(small_settings: Settings) -> None:
    hops: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hops.append(str(request.url))
        return httpx.Response(302, headers={"location": f"/loop{len(hops)}"})

    with pytest.raises(SourceError, match=r"too many redirects \(more than 2\)"):
        make_fetcher(handler, small_settings).fetch("https://news.example.org/")
    assert len(hops) == 3


def test_a_declared_size_over_the_cap_is_refused_before_reading(small_settings: Settings) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x" * 5000)

    with pytest.raises(SourceError, match=r"too large \(5,000 bytes declared; the limit is 1,000\)"):
        make_fetcher(handler, small_settings).fetch("https://news.example.org/big")


def test_the_size_cap_is_enforced_while_streaming(small_settings: Settings) -> None:
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        for i in range(1000):  # 1 MB in all, without a Content-Length
            sent.append(i)
            yield b"x" * 1000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=chunks())

    with pytest.raises(SourceError, match=r"too large \(more than 1,000 bytes"):
        make_fetcher(handler, small_settings).fetch("https://news.example.org/stream")
    assert len(sent) < 5  # it stopped reading early


def test_a_timeout_is_a_source_error(small_settings: Settings) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    with pytest.raises(SourceError, match=r"timed out after 5 s \(ReadTimeout\)"):
        make_fetcher(handler, small_settings).fetch("https://news.example.org/slow")


@pytest.mark.parametrize("status", [404, 500])
def test_http_errors_are_source_errors(status: int) -> None:
    with pytest.raises(SourceError, match=f"HTTP {status}"):
        make_fetcher(lambda r: httpx.Response(status)).fetch("https://news.example.org/x")


def test_connection_errors_are_source_errors() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(SourceError, match="fetch failed: ConnectError: connection refused"):
        make_fetcher(handler).fetch("https://news.example.org/x")


@pytest.mark.parametrize(
    ("address", "public"),
    [("93.184.216.34", True), ("2606:2800:220:1::1", True), ("127.0.0.1", False), ("::ffff:10.0.0.1", False)],
)
def test_is_public(address: str, public: bool) -> None:
    assert is_public(address) is public
