"""The generic scope probe (issue 20, done when): as users of one community of the demo street,
every API list and detail endpoint (from the schema and the router) and every page with its
filter form (from the URL conf) shows nothing of a sibling community — no ids, no names, no
choices — and a sibling's client keys replayed answer 409. Run as loaded, and again after a
community is inserted before the others (its siblings' tree paths renumber) and grids are
moved between communities.

The oracle is independent of the scope code: a record is foreign when its node's path is
neither under the user's community nor above it, read straight from the tree."""

import json
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Q
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from shouwang.api_urls import router
from shouwang.core.choices import NodeLevel, PersonKind, Role, UnitKind
from shouwang.core.models import Jurisdiction, Person, RoleAssignment, Unit
from shouwang.core.scope import can
from shouwang.core.services import create_node, move_node

MARKED = ("name", "title", "number", "text", "headline", "situation", "substance", "phone", "email", "address")
NOT_PAGES = ("logout", "set_language", "javascript-catalog", "healthz", "login", "schema", "api-docs")
TOO_COMMON = 2  # two letters are a surname and a word; matched only as a whole value


def _scoped_models():
    return [m for m in apps.get_models() if hasattr(m, "permission_area") and hasattr(m, "scope_path_lookup")]


def _own_and_above(user):
    paths = set(RoleAssignment.objects.filter(user=user).values_list("jurisdiction__path", flat=True))
    above = {p[:n] for p in paths for n in range(Jurisdiction.steplen, len(p), Jurisdiction.steplen)}
    return paths, above


def _foreign(model, user):
    """Rows on a node outside the user's subtrees and not above them, without his duties."""
    own, above = _own_and_above(user)
    lookup = model.scope_path_lookup
    mine = Q()
    for path in own:
        mine |= Q(**{f"{lookup}__startswith": path})
    rows = model._base_manager.exclude(mine).exclude(**{f"{lookup}__in": above}).exclude(**{f"{lookup}__isnull": True})
    for duty in getattr(model, "duty_lookups", ()):
        rows = rows.exclude(**{duty: user})
    return rows


def _texts(rows, model):
    fields = [f.name for f in model._meta.concrete_fields if f.get_internal_type() in ("CharField", "TextField")]
    return [v for values in rows.values_list(*fields) for v in values if isinstance(v, str)] if fields else []


def _markers(user):
    """Texts that name foreign records and appear in nothing he may see: his own records, those
    above him, his duties elsewhere (an incident he was called to, its community's name) and
    his inbox."""
    foreign, seen = set(), []
    for model in _scoped_models():
        fields = [f.name for f in model._meta.concrete_fields if f.name in MARKED]
        outside = _foreign(model, user)
        if fields:
            for values in outside.values_list(*fields):
                foreign.update(v.strip() for v in values if isinstance(v, str) and len(v.strip()) >= TOO_COMMON)
        seen += _texts(model._base_manager.exclude(pk__in=outside.values("pk")), model)
        for duty in getattr(model, "duty_lookups", ()):
            if hasattr(model, "jurisdiction"):
                seen += model._base_manager.filter(**{duty: user}).values_list("jurisdiction__name", flat=True)
        for fk in model._meta.concrete_fields:  # the parts of a record he holds a duty on (its tasks, log)
            for duty in getattr(fk.related_model, "duty_lookups", ()) if fk.is_relation else ():
                seen += _texts(model._base_manager.filter(**{f"{fk.name}__{duty}": user}), model)
    inbox = apps.get_model("obligations", "Notification")
    seen += _texts(inbox.objects.filter(recipient=user), inbox)
    everything_seen = "\n".join(seen)
    return {m for m in foreign if m not in everything_seen}


def _strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value.strip()


def _found(texts, markers, long_markers):
    texts = set(texts)
    hits = texts & markers
    joined = "\n".join(texts)
    hits |= {m for m in long_markers if m in joined}
    return hits


def _api_lists():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [p for p, ops in schema["paths"].items() if "get" in ops and "{" not in p and not p.startswith("/api/schema")]


def _pages():
    """(url, view class) of every page without arguments, and of every page on one record by pk."""
    out = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name not in NOT_PAGES:
                route = prefix + str(p.pattern)
                if route.startswith(("api/", "admin/", "^")):
                    continue
                out.append((route, getattr(p.callback, "view_class", None)))

    walk(get_resolver().url_patterns)
    lists = ["/" + r for r, _ in out if "<" not in r]
    details = [("/" + r, cls.model) for r, cls in out
               if r.count("<") == 1 and "<int:pk>" in r and cls is not None and getattr(cls, "model", None)]
    return lists, details


def _probe(api, client, usernames, django_user_model):
    leaks = []
    lists = _api_lists()
    pages, detail_pages = _pages()
    checked = {"api lists": 0, "api details": 0, "pages": 0, "page details": 0, "replays": 0}
    for username in usernames:
        user = django_user_model.objects.get(username=username)
        markers = _markers(user)
        assert len(markers) > 50, f"{username}: too few foreign names to probe with"
        long_markers = {m for m in markers if len(m) >= 5}
        caller = api(user)
        for url in lists:
            page, pages_read = url, 0
            while page and pages_read < 20:
                response = caller.get(page)
                if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
                    break
                data = response.json()
                hits = _found(_strings(data), markers, long_markers)
                if hits:
                    leaks.append((username, page, sorted(hits)[:5]))
                page = data.get("next") if isinstance(data, dict) else None
                pages_read += 1
                checked["api lists"] += 1
        for prefix, viewset, _basename in router.registry:
            queryset = getattr(viewset, "queryset", None)
            if queryset is None or queryset.query.is_empty() or not hasattr(queryset.model, "scope_path_lookup"):
                continue  # not a model's endpoint (the phone's sync, effective policies by node)
            model = queryset.model
            allowed = {404} if can(user, model.permission_area, "view") else {403, 404}
            for pk in _foreign(model, user).order_by("?").values_list("pk", flat=True)[:3]:
                status = caller.get(f"/api/{prefix}/{pk}/").status_code
                checked["api details"] += 1
                if status not in allowed:
                    leaks.append((username, f"/api/{prefix}/{pk}/", status))
            key_field = next((f.name for f in model._meta.concrete_fields if f.name in ("client_uuid", "client_id")), None)
            if key_field and can(user, model.permission_area, "add"):
                for key in _foreign(model, user).exclude(**{key_field: None}).values_list(key_field, flat=True)[:2]:
                    response = caller.post(f"/api/{prefix}/", {key_field: str(key)}, format="json")
                    checked["replays"] += 1
                    if response.status_code != 409 or str(key) in response.content.decode():
                        leaks.append((username, f"replay {prefix} {key}", response.status_code))
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            checked["pages"] += 1
            html = response.content.decode()
            texts = [t.strip() for t in re.findall(r">([^<>]+)<", html)] + re.findall(r'value="([^"]*)"', html)
            hits = _found(texts, markers, long_markers)
            if hits:
                leaks.append((username, url, sorted(hits)[:5]))
        for route, model in detail_pages:
            if not hasattr(model, "scope_path_lookup"):
                continue
            for pk in _foreign(model, user).values_list("pk", flat=True)[:1]:
                url = route.replace("<int:pk>", str(pk))
                status = client.get(url).status_code
                if status == 405:  # an action: posting must not find it either
                    status = client.post(url, {}).status_code
                checked["page details"] += 1
                if status not in (403, 404):
                    leaks.append((username, route, pk, status))
        client.logout()
    return leaks, checked


@pytest.fixture
def street(db, django_user_model):
    call_command("load_demo")
    auditor = django_user_model.objects.create_user(username="auditor_la", password="x")
    RoleAssignment.objects.create(user=auditor, role=Role.VIEWER, jurisdiction=Jurisdiction.objects.get(code="QL-WC-LA"))
    return Jurisdiction.objects.get(code="QL-WC")


USERS = ("grid", "patrol", "liaison", "auditor_la")


def _assert_clean(api, client, django_user_model):
    leaks, checked = _probe(api, client, USERS, django_user_model)
    assert checked["api lists"] > 150 and checked["api details"] > 100 and checked["pages"] > 60
    assert checked["page details"] > 40 and checked["replays"] >= 4
    assert leaks == []
    return checked


def test_nothing_of_a_sibling_community_as_loaded(street, api, client, django_user_model):
    _assert_clean(api, client, django_user_model)


def test_nothing_of_a_sibling_community_after_nodes_are_inserted_and_moved(street, api, client, django_user_model):
    # A community whose code sorts first: the tree renumbers its siblings' paths.
    new = create_node(parent=street, code="QL-WC-AA", name="白桦社区", level=NodeLevel.COMMUNITY)
    unit = Unit.objects.create(jurisdiction=new, name="白桦社区老年活动中心", kind=UnitKind.OTHER)
    Person.objects.create(jurisdiction=new, name="韩冬梅", kind=PersonKind.CONTACT, unit=unit, phone="13900001111")
    grid_of_ours = Jurisdiction.objects.get(code="QL-WC-LA-G4")
    Unit.objects.create(jurisdiction=grid_of_ours, name="柳岸第四网格便利店", kind=UnitKind.OTHER)
    theirs = Jurisdiction.objects.get(code="QL-WC-GX-G5")
    Unit.objects.create(jurisdiction=theirs, name="桂香第五网格药店", kind=UnitKind.OTHER)
    move_node(grid_of_ours, Jurisdiction.objects.get(code="QL-WC-GX"))  # ours no longer
    move_node(theirs, Jurisdiction.objects.get(code="QL-WC-LA"))  # ours now
    _assert_clean(api, client, django_user_model)
    grid, names, page = django_user_model.objects.get(username="grid"), "", "/api/units/"
    while page:
        data = api(grid).get(page).json()
        names, page = names + json.dumps(data["results"], ensure_ascii=False), data["next"]
    assert "柳岸第四网格便利店" not in names and "白桦社区老年活动中心" not in names
    assert "桂香第五网格药店" in names  # scope follows the tree: the grid moved in is his now
