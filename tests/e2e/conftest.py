"""Browser tests: Playwright drives Debian's Chromium against a live server on 127.0.0.1."""

import shutil

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def _chromium_path():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    raise RuntimeError("Chromium is not installed (Debian package: chromium); `make test` installs it as root")


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _let_the_server_finish(live_server, timeout=10):
    """Wait for the requests the live server is still answering: a poll in flight holds its
    transaction's locks, and the flush that ends a transactional test then deadlocks with it
    on PostgreSQL (TRUNCATE wants every table at once)."""
    httpd = getattr(live_server.thread, "httpd", None)
    for thread in list(getattr(httpd, "_threads", None) or []):
        thread.join(timeout)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    """Before any fixture is torn down (the database flush first of all): close every browser
    context the test left open — a page left behind keeps polling the live server (the inbox
    badge, the board, a wall's refresh) — then let the server answer what is in flight."""
    funcargs = getattr(item, "funcargs", {})
    if "browser" in funcargs:
        for context in list(funcargs["browser"].contexts):
            context.close()
    if "live_server" in funcargs:
        _let_the_server_finish(funcargs["live_server"])
    yield


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in_page(page, username, password):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


@pytest.fixture
def log_in(page):
    def _log_in(username, password):
        return log_in_page(page, username, password)

    return _log_in


class Cable:
    """A TCP relay in front of the live server that can be unplugged: while it is down, every
    connection to the server fails, as on a phone that lost its network. (Chromium's offline
    emulation does not cover requests that pass through a service worker.)"""

    def __init__(self, target_port):
        import socket
        import threading

        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.plugged = True
        self.open = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        import socket
        import threading

        while True:
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            if not self.plugged:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.open.update({client, upstream})
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.close()
                except OSError:
                    pass

    def unplug(self):
        self.plugged = False
        with self.lock:
            for s in self.open:
                try:
                    s.close()
                except OSError:
                    pass
            self.open.clear()

    def plug(self):
        self.plugged = True

    def close(self):
        self.listener.close()
        self.unplug()


@pytest.fixture
def cable(live_server):
    from urllib.parse import urlparse

    c = Cable(urlparse(live_server.url).port)
    yield c
    c.close()


@pytest.fixture
def phone_page(browser, cable):
    """A phone-sized page whose network can be cut (`cable.unplug()`)."""
    context = browser.new_context(base_url=cable.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                  is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
