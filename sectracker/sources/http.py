"""Fetching URLs safely: http(s) only, public addresses only, capped redirects, size and time.

Every hop of a redirect chain is checked again: its scheme, and every address its host
resolves to (loopback, private, link-local, reserved, multicast and unspecified addresses
are refused unless `fetch_allow_private` is set). The body is streamed and the fetch
stops as soon as it passes `fetch_max_bytes` or the whole fetch passes `fetch_timeout_s`.
Tests inject an httpx transport and a resolver, so they never touch the network.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from sectracker import __version__
from sectracker.errors import SourceError
from sectracker.settings import Settings

Resolver = Callable[[str, int], list[str]]
SCHEMES = ("http", "https")
REDIRECTS = {301, 302, 303, 307, 308}
MAX_URL_CHARS = 2000
_HOST_CHARS = re.compile(r"^[\w.-]+$")  # letters (any script: IDNA), digits, '.', '-', '_'
USER_AGENT = f"sectracker/{__version__} (+https://github.com/sectracker)"


@dataclass(frozen=True)
class Fetched:
    """A fetched body with the final URL (after redirects) and its content type."""

    url: str
    body: bytes
    content_type: str
    charset: str | None = None


def resolve_host(host: str, port: int) -> list[str]:
    """Every address the host resolves to (the default resolver: the system's)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise SourceError(f"cannot resolve host {host!r}: {exc}") from exc
    return sorted({str(info[4][0]) for info in infos})


def is_public(address: str) -> bool:
    """True when an IP address is globally routable (not loopback, private, link-local, reserved...)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    blocked = (
        ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )
    return not blocked and ip.is_global


def check_url_syntax(url: str) -> None:
    """SourceError (naming the URL) unless it is a well-formed http(s) URL with a host; no network is used."""
    shown = url if len(url) <= 100 else url[:100] + "..."
    if len(url) > MAX_URL_CHARS:
        raise SourceError(f"{shown}: the URL is too long ({len(url):,} characters; the limit is {MAX_URL_CHARS:,})")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise SourceError(f"{shown}: the URL contains control characters (a tab, a line break...)")
    if url != url.strip():
        raise SourceError(f"{shown}: the URL starts or ends with spaces")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError as exc:
        raise SourceError(f"{shown}: malformed URL ({exc})") from exc
    if parts.scheme.lower() not in SCHEMES:
        raise SourceError(f"{shown}: only http and https URLs are fetched (not {parts.scheme or 'no scheme'!r})")
    if not host:
        raise SourceError(f"{shown}: the URL has no host")
    if port == 0:
        raise SourceError(f"{shown}: bad port 0")
    if not _is_ip(host) and (not _HOST_CHARS.match(host) or ".." in host or host.startswith((".", "-"))):
        raise SourceError(f"{shown}: malformed host name {host!r} (spaces and most punctuation are not allowed)")


class Fetcher:
    """Fetches URLs under the limits of one Settings; holds the injectable transport and resolver."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self.settings = settings
        self.transport = transport
        self.resolver = resolver or resolve_host

    def check_url(self, url: str) -> None:
        """SourceError unless the URL is http(s) and its host resolves only to allowed addresses."""
        check_url_syntax(url)
        parts = urlsplit(url)
        host = parts.hostname
        assert host is not None  # checked above
        if self.settings.fetch_allow_private:
            return
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        addresses = [host] if _is_ip(host) else self.resolver(host, port)
        if not addresses:
            raise SourceError(f"{url}: host {host!r} resolves to no address")
        for address in addresses:
            if not is_public(address):
                raise SourceError(
                    f"{url}: refused: {host} resolves to the non-public address {address} "
                    "(set SECTRACKER_FETCH_ALLOW_PRIVATE=1 to allow it)"
                )

    def fetch(self, url: str) -> Fetched:
        """GET the URL, following at most fetch_max_redirects redirects, each checked again."""
        deadline = time.monotonic() + self.settings.fetch_timeout_s
        try:
            with self._client() as client:
                for _hop in range(self.settings.fetch_max_redirects + 1):
                    self.check_url(url)
                    fetched, location = self._get(client, url, deadline)
                    if fetched is not None:
                        return fetched
                    url = location or url
        except httpx.TimeoutException as exc:
            limit = self.settings.fetch_timeout_s
            raise SourceError(f"{url}: timed out after {limit:g} s ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise SourceError(f"{url}: fetch failed: {type(exc).__name__}: {exc}") from exc
        raise SourceError(f"{url}: too many redirects (more than {self.settings.fetch_max_redirects})")

    def _client(self) -> httpx.Client:
        return httpx.Client(
            transport=self.transport,
            timeout=httpx.Timeout(self.settings.fetch_timeout_s),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
            trust_env=False,
        )

    def _get(self, client: httpx.Client, url: str, deadline: float) -> tuple[Fetched | None, str | None]:
        """(Fetched, None) for a final response, (None, next URL) for a redirect."""
        with client.stream("GET", url) as response:
            if response.status_code in REDIRECTS:
                location = response.headers.get("location")
                if not location:
                    raise SourceError(f"{url}: redirect ({response.status_code}) without a Location")
                return None, urljoin(url, location)
            if response.status_code >= 400:
                raise SourceError(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
            body = self._read_capped(response, url, deadline)
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return Fetched(str(response.url), body, content_type, response.charset_encoding), None

    def _read_capped(self, response: httpx.Response, url: str, deadline: float) -> bytes:
        cap = self.settings.fetch_max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise SourceError(f"{url}: too large ({int(declared):,} bytes declared; the limit is {cap:,})")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise SourceError(f"{url}: too large (more than {cap:,} bytes; the limit is fetch_max_bytes)")
            if time.monotonic() > deadline:
                raise SourceError(f"{url}: timed out after {self.settings.fetch_timeout_s:g} s while reading")
            chunks.append(chunk)
        return b"".join(chunks)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True
