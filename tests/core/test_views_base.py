"""The base views' wiring: crud_urls names and leaves out pages, the HTMX partial helper."""

from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from shouwang.core.views import org
from shouwang.core.views.base import crud_urls, is_partial, partial_or_page


def test_crud_urls_names_each_page_and_leaves_out_missing_ones():
    urls = crud_urls("units", "unit", list=org.UnitListView, detail=org.UnitDetailView)
    assert [(u.name, str(u.pattern)) for u in urls] == [("unit_list", "units/"), ("unit_detail", "units/<int:pk>/")]
    assert urls[0].callback.view_class is org.UnitListView


def test_partial_only_for_an_htmx_request_that_is_not_a_boosted_navigation():
    factory = RequestFactory()
    plain = factory.get("/")
    plain.htmx = HtmxDetails(plain)
    htmx = factory.get("/", HTTP_HX_REQUEST="true")
    htmx.htmx = HtmxDetails(htmx)
    boosted = factory.get("/", HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    boosted.htmx = HtmxDetails(boosted)
    assert [is_partial(r) for r in (plain, htmx, boosted, factory.get("/"))] == [False, True, False, False]
    assert partial_or_page(htmx, "_part.html", "page.html") == "_part.html"
    assert partial_or_page(boosted, "_part.html", "page.html") == "page.html"
