import os
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core import signals
from django.db import close_old_connections
from rest_framework.test import APIClient

from shouwang.core.choices import NodeLevel, PersonKind, Role, UnitKind
from shouwang.core.models import Person, RoleAssignment, Unit
from shouwang.core.services import create_node

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made
# from the test body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class Org:
    """A small tree: D (district) > S (street) > C1, C2 (communities) > C1-G1 (grid)."""

    district: object
    street: object
    c1: object
    c2: object
    grid: object
    users: dict = field(default_factory=dict)

    def user(self, name):
        return self.users[name]


def make_user(username, role=None, node=None, superuser=False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username=username, password="pw-" + username)
    user = User.objects.create_user(username=username, password="pw-" + username)
    if role:
        RoleAssignment.objects.create(user=user, role=role, jurisdiction=node)
    return user


@pytest.fixture
def org(db):
    d = create_node(parent=None, code="D", name="测试区", level=NodeLevel.DISTRICT)
    s = create_node(parent=d, code="S", name="测试街道", level=NodeLevel.STREET)
    c1 = create_node(parent=s, code="C1", name="一社区", level=NodeLevel.COMMUNITY)
    c2 = create_node(parent=s, code="C2", name="二社区", level=NodeLevel.COMMUNITY)
    g = create_node(parent=c1, code="C1-G1", name="一社区第1网格", level=NodeLevel.GRID)
    o = Org(district=d, street=s, c1=c1, c2=c2, grid=g)
    o.users = {
        "admin": make_user("admin", superuser=True),
        "leader": make_user("leader", Role.LEADER, s),
        "office": make_user("office", Role.OFFICE_STAFF, s),
        "office1": make_user("office1", Role.OFFICE_STAFF, c1),
        "grid1": make_user("grid1", Role.GRID_WORKER, c1),
        "grid2": make_user("grid2", Role.GRID_WORKER, c2),
        "patrol1": make_user("patrol1", Role.PATROL_MEMBER, c1),
        "viewer": make_user("viewer", Role.VIEWER, d),
    }
    return o


@pytest.fixture
def units(org):
    """One unit with two people in each community."""
    out = {}
    for key, node in (("c1", org.c1), ("c2", org.c2)):
        unit = Unit.objects.create(jurisdiction=node, name=f"{node.name}学校", kind=UnitKind.SCHOOL)
        Person.objects.create(jurisdiction=node, name=f"{node.name}联络员", kind=PersonKind.CONTACT, unit=unit)
        out[key] = unit
    return out


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api():
    def _api(user=None):
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c

    return _api


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # PBKDF2's deliberate slowness is for attackers, not for fixtures.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def wsgi_in_test_transaction():
    """Calls of the WSGI app itself (schemathesis) inside the test's transaction: Django closes
    the connection after each request, which on PostgreSQL ends the test's transaction; the test
    client avoids it the same way, by not closing old connections around a request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
