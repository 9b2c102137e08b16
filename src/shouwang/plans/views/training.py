"""Pages of training: courses with the share of qualified people per post, sessions with their QR
code and attendance, certificates with their expiry."""

import segno
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from shouwang.core.scope import can_at
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    crud_urls,
)

from .. import queries, services
from ..choices import AttendanceMethod
from ..filtersets import CertificateFilterSet, CourseFilterSet, SessionFilterSet
from ..forms import CertificateForm, CourseForm, ManualAttendanceForm, SessionForm
from ..models import Certificate, Course, Session
from .common import NoDeletePage


class CoursePages:
    model = Course
    url_base = "plans:course"
    form_class = CourseForm
    select_related = ["jurisdiction"]


class CourseListView(CoursePages, ObjectListView):
    template_name = "plans/course_list.html"
    filterset_class = CourseFilterSet
    columns = ["title", "hours", "certificate_months", "jurisdiction"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["qualified"] = queries.qualified_share(self.request.user)
        ctx["sessions"] = queries.upcoming_sessions(self.request.user)
        return ctx


class CourseDetailView(NoDeletePage, CoursePages, ObjectDetailView):
    template_name = "plans/course_detail.html"
    fields = ["hours", "certificate_months", "jurisdiction", "description"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["posts"] = [label for code, label in CourseForm.base_fields["posts"].choices
                        if code in (self.object.posts or [])]
        ctx["sessions"] = list(self.object.sessions.order_by("-starts_at")[:20])
        ctx["certificates"] = list(self.object.certificates.select_related("person").order_by("expires_on")[:50])
        ctx["can_delete"] = False
        return ctx


class CourseCreateView(CoursePages, ObjectCreateView):
    pass


class CourseUpdateView(CoursePages, ObjectUpdateView):
    pass


class SessionPages:
    model = Session
    url_base = "plans:session"
    form_class = SessionForm
    select_related = ["jurisdiction", "course"]


class SessionListView(SessionPages, ObjectListView):
    filterset_class = SessionFilterSet
    columns = ["course", "starts_at", "ends_at", "place", "trainer", "jurisdiction"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        for row in ctx["rows"]:  # a session reads as its course and day
            row["cells"][0] = str(row["object"])
        return ctx


def qr_svg(text, scale=6):
    return mark_safe(segno.make(text, error="m").svg_inline(scale=scale, border=2))  # noqa: S308 - segno output


class SessionDetailView(NoDeletePage, SessionPages, ObjectDetailView):
    template_name = "plans/session_detail.html"
    fields = ["course", "starts_at", "ends_at", "place", "trainer", "jurisdiction"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        session = self.object
        user = self.request.user
        ctx["attendances"] = list(session.attendances.select_related("person").order_by("signed_at"))
        ctx["can_delete"] = False
        if can_at(user, "plans", "change", session.scope_path):
            url = self.request.build_absolute_uri(reverse("plans:sign_in", args=[session.token]))
            ctx["sign_in_url"], ctx["qr"] = url, qr_svg(url)
            ctx["attendance_form"] = ManualAttendanceForm(user=user)
        opens, closes = services.sign_in_window(session)
        ctx["open_now"] = opens <= timezone.now() <= closes
        return ctx


class SessionCreateView(SessionPages, ObjectCreateView):
    def save_form(self, form):
        data = dict(form.cleaned_data)
        return services.create_session(node=data.pop("jurisdiction"), user=self.request.user, **data)


class SessionUpdateView(SessionPages, ObjectUpdateView):
    pass


class AttendanceAddView(ObjectActionView):
    model = Session
    form_class = ManualAttendanceForm
    success_message = gettext_lazy("Attendance recorded.")

    def get_form_kwargs(self, obj):
        return {"user": self.request.user}

    def perform(self, session, form):
        services.sign_in(session, user=self.request.user, person=form.cleaned_data["person"],
                         method=AttendanceMethod.MANUAL)


class CertificatePages:
    model = Certificate
    url_base = "plans:certificate"
    form_class = CertificateForm
    select_related = ["jurisdiction", "person", "course"]


class CertificateListView(CertificatePages, ObjectListView):
    filterset_class = CertificateFilterSet
    columns = ["person", "course", "number", "issued_on", "expires_on", "renewed"]


class CertificateDetailView(NoDeletePage, CertificatePages, ObjectDetailView):
    editable = False

    fields = ["person", "course", "number", "issued_on", "expires_on", "renewed", "jurisdiction"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_change"] = ctx["can_delete"] = False
        return ctx


class CertificateCreateView(CertificatePages, ObjectCreateView):
    def save_form(self, form):
        return services.issue_certificate(user=self.request.user, **form.cleaned_data)


urlpatterns = [
    *crud_urls("courses", "course", list=CourseListView, detail=CourseDetailView, create=CourseCreateView,
               edit=CourseUpdateView),
    *crud_urls("sessions", "session", list=SessionListView, detail=SessionDetailView, create=SessionCreateView,
               edit=SessionUpdateView),
    path("sessions/<int:pk>/attendance/", AttendanceAddView.as_view(), name="session_attendance"),
    *crud_urls("certificates", "certificate", list=CertificateListView, detail=CertificateDetailView,
               create=CertificateCreateView),
]
