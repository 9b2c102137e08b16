"""Where a webhook may send: public addresses, and internal ones only when the administrator
allows them (`SHOUWANG_WEBHOOK_ALLOW`: networks like 10.2.0.0/16 or host names, comma
separated; empty = nothing internal). Checked when the webhook is saved and again before each
send (a name can resolve elsewhere later)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


def _allowed():
    nets, hosts = [], set()
    for item in (settings.WEBHOOK_ALLOW or []):
        try:
            nets.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            hosts.add(item.lower())
    return nets, hosts


def _internal(address):
    return (address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
            or address.is_multicast or address.is_unspecified)


def refusal(url):
    """None when `url` may be called; else a short reason."""
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return "no host"
    nets, hosts = _allowed()
    if host in hosts:
        return None
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in socket.getaddrinfo(host, None)}
        except (OSError, UnicodeError):
            return "host not found"
    for address in addresses:
        if _internal(address) and not any(address in net for net in nets):
            return "internal address not allowed"
    return None
