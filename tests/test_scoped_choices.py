"""No filter, form or serializer offers another community's records as choices (issue 20.2):
every FilterSet in the project, every form on the scoped base and every API serializer, as a
grid worker of community 1, against records made in community 2."""

import django_filters
import pytest
from django.test import RequestFactory

from shouwang.core.api.base import ScopedRelatedField
from shouwang.core.choices import PersonKind, UnitKind
from shouwang.core.forms_base import ScopedModelForm
from shouwang.core.models import Person, Unit
from tests.conftest import make_user


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


@pytest.fixture
def sibling(org):
    """community 2's own people, unit and account: nothing of these may show for community 1."""
    unit = Unit.objects.create(jurisdiction=org.c2, name="二社区的单位", kind=UnitKind.SCHOOL)
    person = Person.objects.create(jurisdiction=org.c2, name="二社区的人", kind=PersonKind.PATROL, unit=unit,
                                   user=make_user("c2-member"))
    return {"unit": unit, "person": person}


def _leaks(objects, org):
    out = []
    for obj in objects:
        path = getattr(obj, "scope_path", None)
        if path is None and hasattr(obj, "person"):  # an account: by its person
            path = getattr(getattr(obj, "person", None), "scope_path", None)
        if path and path.startswith(org.c2.path):
            out.append(obj)
    return out


def test_no_filter_offers_another_communitys_records(org, sibling):
    import shouwang.api_urls  # noqa: F401 - every app's filtersets are imported with the URL conf

    request = RequestFactory().get("/")
    request.user = org.user("grid1")
    leaks = {}
    for cls in set(_all_subclasses(django_filters.FilterSet)):
        if cls.__module__.startswith("django_filters") or getattr(cls._meta, "model", None) is None:
            continue
        filterset = cls(data={}, queryset=cls._meta.model._default_manager.all(), request=request)
        for name, f in filterset.filters.items():
            if isinstance(f, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
                found = _leaks(f.field.queryset, org)
                if found:
                    leaks[f"{cls.__name__}.{name}"] = found
    assert leaks == {}


def test_no_form_offers_another_communitys_records(org, sibling):
    import shouwang.urls  # noqa: F401

    user = org.user("grid1")
    leaks = {}
    for cls in set(_all_subclasses(ScopedModelForm)):
        try:
            form = cls(user=user)
        except TypeError:
            continue  # forms that need more than a user (an incident, a node) build their choices themselves
        for name, field in form.fields.items():
            qs = getattr(field, "queryset", None)
            if qs is not None and _leaks(qs, org):
                leaks[f"{cls.__name__}.{name}"] = _leaks(qs, org)
    assert leaks == {}


def test_no_serializer_accepts_or_offers_another_communitys_records(org, sibling, api):
    from shouwang.api_urls import router

    request = RequestFactory().get("/")
    request.user = org.user("grid1")
    leaks = {}
    for _prefix, viewset, _basename in router.registry:
        serializer_class = getattr(viewset, "serializer_class", None)
        if serializer_class is None:
            continue
        serializer = serializer_class(context={"request": request})
        for name, field in getattr(serializer, "fields", {}).items():
            if isinstance(field, ScopedRelatedField) and not field.read_only:
                found = _leaks(field.get_queryset(), org)
                if found:
                    leaks[f"{serializer_class.__name__}.{name}"] = found
    assert leaks == {}
    # and a write naming another community's person is refused by that rule
    response = api(org.user("grid1")).post("/api/roles/", {"user": sibling["person"].user.pk, "role": "viewer",
                                                            "jurisdiction": org.c1.pk}, format="json")
    assert response.status_code in (400, 403)
