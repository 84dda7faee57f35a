"""Keep webhook deliveries out of our own network (server-side request forgery).

Unless ``settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS`` (development only), a target
must be ``https`` and every address its host resolves to must be globally
routable: no loopback, private, link-local, shared (CGNAT), multicast,
reserved or unspecified addresses, IPv4 or IPv6, including IPv4 addresses
hidden in IPv6 (mapped ``::ffff:a.b.c.d``, NAT64 ``64:ff9b::/96``, 6to4) and
numeric host spellings other than dotted decimal (``2130706433``, ``0x7f.1``,
``0177.0.0.1``), which are refused outright.

The check runs when a webhook is saved and again for every attempt:
:func:`pin` resolves the host once, vets the addresses and returns the one to
connect to, so the sender never resolves the name again (a DNS answer that
changes between the check and the connection cannot redirect it).
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

# Indirection for tests (monkeypatch ``integrations.ssrf.getaddrinfo``).
getaddrinfo = socket.getaddrinfo

NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
DEFAULT_PORTS = {"https": 443, "http": 80}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeTarget(ValueError):
    """The URL may not be called; the message says why (safe to show to the caller)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, as sent in Host and SNI
    port: int
    path: str  # path and query, never empty
    address: str  # the vetted IP address to connect to


def private_targets_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_TARGETS", False))


def is_public_address(address: IPAddress) -> bool:
    """True only for globally routable unicast addresses."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_public_address(embedded)
        if address.is_site_local:
            return False
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    return None


def _numeric_host(host: str) -> IPAddress | None:
    """The address a numeric host denotes; UnsafeTarget for odd IPv4 spellings."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        # inet_aton accepts what browsers and resolvers accept too: 2130706433,
        # 0x7f.1, 0177.0.0.1, 127.1. Anything it parses is an IPv4 address in
        # disguise; refuse it rather than guess what a resolver would make of it.
        socket.inet_aton(host)
    except OSError:
        return None
    raise UnsafeTarget("Write IPv4 addresses in dotted decimal form (a.b.c.d).")


def parse(url: str) -> tuple[str, str, int, str]:
    """``(scheme, host, port, path)`` of a URL that is well formed for a webhook."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget(f"Not a valid URL: {exc}.") from None
    scheme = parts.scheme.lower()
    allowed = ("https", "http") if private_targets_allowed() else ("https",)
    if scheme not in allowed:
        raise UnsafeTarget("The URL must use https.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("The URL may not contain credentials.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeTarget("The URL has no host.")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise UnsafeTarget("The host name is not a valid internationalised name.") from None
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, host, port or DEFAULT_PORTS[scheme], path


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to (an IP literal resolves to itself)."""
    literal = _numeric_host(host)
    if literal is not None:
        return [literal]
    try:
        infos = getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeTarget(f"The host {host} could not be resolved.") from None
    addresses: list[IPAddress] = []
    for info in infos:
        try:
            address = ipaddress.ip_address(str(info[4][0]))
        except ValueError:
            continue
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise UnsafeTarget(f"The host {host} could not be resolved.")
    return addresses


def vet(host: str, addresses: list[IPAddress]) -> None:
    if private_targets_allowed():
        return
    refused = [a for a in addresses if not is_public_address(a)]
    if refused:
        raise UnsafeTarget(
            f"The host {host} resolves to a non-public address ({refused[0]}); "
            "webhooks may only call public internet addresses."
        )


def check_url(url: str) -> None:
    """Save-time check: UnsafeTarget unless the URL may be called now."""
    _, host, port, _ = parse(url)
    vet(host, resolve(host, port))


def pin(url: str) -> Target:
    """Connect-time check: resolve once, vet, and return the address to use."""
    scheme, host, port, path = parse(url)
    addresses = resolve(host, port)
    vet(host, addresses)
    return Target(scheme=scheme, host=host, port=port, path=path, address=str(addresses[0]))
