from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from shouwang.core.views.help import help_page
from shouwang.core.views.search import search_page
from shouwang.core.views.system import healthz, home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the real icon.
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}shouwang/favicon.svg", permanent=True)),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("search/", search_page, name="search"),
    path("help/", help_page, name="help"),
    path("help/<slug:area>/", help_page, name="help_area"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("org/", include("shouwang.core.urls")),
    path("policies/", include("shouwang.policies.urls")),
    path("obligations/", include("shouwang.obligations.urls")),
    path("registers/", include("shouwang.registers.urls")),
    path("resources/", include("shouwang.resources.urls")),
    path("patrols/", include("shouwang.patrols.urls")),
    path("duty/", include("shouwang.duty.urls")),
    path("inspections/", include("shouwang.inspections.urls")),
    path("incidents/", include("shouwang.incidents.urls")),
    path("plans/", include("shouwang.plans.urls")),
    path("briefings/", include("shouwang.briefings.urls")),
    path("audit/", include("shouwang.audit.urls")),
    path("api/", include("shouwang.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
] + ([path("admin/", admin.site.urls)] if settings.ADMIN_ENABLED else [])  # off unless SHOUWANG_ADMIN=1


handler500 = "shouwang.core.views.system.server_error"
