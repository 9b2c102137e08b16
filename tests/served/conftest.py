"""The product as users run it: real `shouwang` processes on loopback, driven over HTTP."""

import os
import re
import uuid

import psycopg
import pytest
import requests

from shouwang.core.demo import DEMO_PASSWORD


@pytest.fixture
def fresh_database():
    """A factory of fresh databases for product processes: None on the SQLite run (each process
    keeps its file under its var/); on PostgreSQL a new database on the test server each call,
    all dropped afterwards."""
    if os.environ.get("SHOUWANG_TEST_DB") != "postgresql":
        yield lambda: None
        return
    server = os.environ["DATABASE_URL"]
    made = []

    def make():
        name = f"served_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return server.rsplit("/", 1)[0] + "/" + name

    yield make
    with psycopg.connect(server, autocommit=True) as conn:
        for name in made:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture
def database_url(fresh_database):
    return fresh_database()


def log_in(base, username, password=DEMO_PASSWORD):
    """A session logged in through the login page, as a browser does (CSRF token and all)."""
    session = requests.Session()
    page = session.get(base + "/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(base + "/login/", data={"username": username, "password": password,
                                                    "csrfmiddlewaretoken": token},
                            headers={"Referer": base + "/login/"}, timeout=10, allow_redirects=False)
    assert response.status_code == 302 and "/login/" not in response.headers["Location"], response.text[:500]
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    session.headers["Referer"] = base + "/"
    return session
