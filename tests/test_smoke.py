"""Every page a demo user can reach renders: no server error for any role on the demo data."""

import re

from django.core.management import call_command
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from shouwang.core.demo import DEMO_USERS

SKIP_PREFIXES = ("admin:", "api-", "schema", "logout", "set_language", "javascript-catalog")


def _named_patterns(resolver=None, namespace=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _named_patterns(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def page_urls():
    urls = []
    for name, pattern in _named_patterns():
        if name.startswith(SKIP_PREFIXES) or pattern.pattern.regex.groups:
            continue
        try:
            urls.append(reverse(name))
        except Exception:  # needs arguments
            continue
    return sorted(set(u for u in urls if not u.startswith("/api/")))


def test_every_page_renders_for_every_role(db, client):
    call_command("load_demo")
    failures, seen = [], 0
    urls = page_urls()
    for username in ["admin", *[u[0] for u in DEMO_USERS]]:
        client.login(request=HttpRequest(), username=username, password="shouwang-demo")
        for url in urls:
            response = client.get(url)
            seen += 1
            if response.status_code >= 500:
                failures.append((username, url, response.status_code))
            elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                # Follow the first detail links of each list, where most templates live.
                for link in re.findall(r'href="(/[a-z]+/[a-z-]+/\d+/)"', response.content.decode())[:2]:
                    seen += 1
                    if client.get(link).status_code >= 500:
                        failures.append((username, link, 500))
        client.logout()
    assert seen > 300
    assert not failures, failures
