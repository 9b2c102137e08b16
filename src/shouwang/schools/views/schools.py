"""Pages: the street's schools view (one table, a colour per column), a school's page (its day,
staffing, cameras, patrols, drills, hazards, handovers), its profile, and the office's set-up of
its key spots, cameras and classes."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from shouwang.core.documents import docx_response
from shouwang.core.home import chart
from shouwang.core.scope import can_at, nodes_where
from shouwang.core.views.base import (
    ObjectActionView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    crud_urls,
)

from .. import access, exports, queries, services
from ..filtersets import SchoolFilterSet
from ..forms import CameraForm, KeySpotForm, PupilClassForm, SchoolForm
from ..models import Camera, KeySpot, PupilClass, School


class SchoolPages:
    model = School
    url_base = "schools:school"
    select_related = ["unit", "jurisdiction", "policy"]


class SchoolListView(SchoolPages, ObjectListView):
    """The street's schools: gate windows of the day, drills, cameras failing, guards against the
    standard and open hazards, each a colour; the worst colour is the school's."""

    template_name = "schools/school_list.html"
    partial_template_name = "schools/_school_table.html"
    filterset_class = SchoolFilterSet
    paginate_by = 100
    sort_columns = {"school": (gettext_lazy("school"), "unit__name"), "pupils": (gettext_lazy("pupils"), "pupils")}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        shown = {s.pk for s in ctx["object_list"]}
        ctx["table"] = [row for row in queries.street_rows(self.request.user, now) if row["school"].pk in shown]
        order = {s.pk: i for i, s in enumerate(ctx["object_list"])}
        ctx["table"].sort(key=lambda row: order[row["school"].pk])
        ctx["today"] = timezone.localdate(now)
        ctx["counts"] = {c: sum(1 for row in ctx["table"] if row["colour"] == c) for c in ("met", "due_soon", "missed")}
        return ctx


class SchoolTablePrintView(LoginRequiredMixin, generic.View):
    """The street's table as filtered on the page, on A4 landscape (Word, Chinese), to print."""

    def get(self, request):
        base = School.objects.restrict(request.user, "view")
        filterset = SchoolFilterSet(request.GET or None, queryset=base, request=request)
        shown = set((filterset.qs if filterset.is_bound and filterset.is_valid() else base).values_list("pk", flat=True))
        now = timezone.now()
        rows = sorted((row for row in queries.street_rows(request.user, now) if row["school"].pk in shown),
                      key=lambda row: (row["school"].jurisdiction.path, row["school"].unit.name))
        office = nodes_where(request.user, "schools", "view").order_by("depth", "path").first()
        day = timezone.localdate(now)
        content = exports.street_table_docx(rows, office=office.name if office else "", day=day)
        return docx_response(content, exports.filename(day))


class SchoolDetailView(SchoolPages, ObjectDetailView):
    template_name = "schools/school_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        school, user = self.object, self.request.user
        day = parse_date(self.request.GET.get("day") or "") or timezone.localdate()
        ctx.update(queries.school_day(school, day))
        trend = ctx["drills"]["trend"]
        measured = [t for t in trend if t["seconds"] is not None]
        if measured:
            ctx["trend_chart"] = chart(
                "line", [f"{t['day']:%m-%d}" for t in measured],
                [{"name": _("evacuation time (seconds)"), "data": [t["seconds"] for t in measured], "state": "open"},
                 {"name": _("target (seconds)"), "data": [t["target"] for t in measured], "state": "missed"}],
                summary=_("Evacuation times of the drills held, against the target"))
        ctx["is_staff"] = access.is_staff(user, school)
        ctx["reads_log"] = can_at(user, "visitors", "view", school.scope_path) or ctx["is_staff"]
        ctx["may_set_up"] = can_at(user, "schools", "change", school.scope_path)
        ctx["purges"] = school.purges.order_by("-at")[:3]
        ctx["prev_day"], ctx["next_day"] = day - timezone.timedelta(days=1), day + timezone.timedelta(days=1)
        return ctx


class SchoolCreateView(SchoolPages, ObjectCreateView):
    form_class = SchoolForm
    template_name = "schools/school_form.html"


class SchoolUpdateView(SchoolPages, ObjectUpdateView):
    form_class = SchoolForm
    template_name = "schools/school_form.html"


class SchoolDeleteView(SchoolPages, ObjectDeleteView):
    pass


class OpenGateDayView(ObjectActionView):
    """The office opens a day's gate windows by hand: a make-up school day (调休) on a weekend, or a
    school event, which the calendar of holidays does not know."""

    model = School
    right = "change"
    forbidden_message = gettext_lazy("Only the office opens a gate day by hand.")

    def perform(self, obj, form):
        day = parse_date(self.request.POST.get("day") or "") or timezone.localdate()
        opened = services.open_gate_day(obj, day, user=self.request.user)
        return opened

    def get_success_message(self, obj, result):
        if not result:
            return _("The gate windows of that day were already open.")
        return _("%(n)s gate windows opened.") % {"n": result}


# --- set-up of a school: key spots, cameras, classes (the office) ----------------------------------

class _SetUp:
    """A school's part: created from the school's page, back to it."""

    template_name = "core/object_form.html"

    def get_initial(self):
        initial = super().get_initial()
        if "school" in self.request.GET:
            initial["school"] = self.request.GET["school"]
        return initial

    def get_success_url(self):
        return reverse("schools:school_detail", args=[self.object.school_id])


class KeySpotPages(_SetUp):
    model = KeySpot
    url_base = "schools:keyspot"
    form_class = KeySpotForm


class KeySpotCreateView(KeySpotPages, ObjectCreateView):
    pass


class KeySpotUpdateView(KeySpotPages, ObjectUpdateView):
    pass


class KeySpotDeleteView(KeySpotPages, ObjectDeleteView):
    def form_valid(self, form):
        school = self.object.school
        super().form_valid(form)
        return HttpResponseRedirect(school.get_absolute_url())


class CameraPages(_SetUp):
    model = Camera
    url_base = "schools:camera"
    form_class = CameraForm


class CameraCreateView(CameraPages, ObjectCreateView):
    pass


class CameraUpdateView(CameraPages, ObjectUpdateView):
    pass


class PupilClassPages(_SetUp):
    model = PupilClass
    url_base = "schools:pupilclass"
    form_class = PupilClassForm


class PupilClassCreateView(PupilClassPages, ObjectCreateView):
    pass


class PupilClassUpdateView(PupilClassPages, ObjectUpdateView):
    pass


urlpatterns = [
    path("", SchoolListView.as_view(), name="school_list"),
    path("new/", SchoolCreateView.as_view(), name="school_create"),
    path("print/", SchoolTablePrintView.as_view(), name="school_print"),
    path("<int:pk>/", SchoolDetailView.as_view(), name="school_detail"),
    path("<int:pk>/edit/", SchoolUpdateView.as_view(), name="school_edit"),
    path("<int:pk>/delete/", SchoolDeleteView.as_view(), name="school_delete"),
    path("<int:pk>/open-day/", OpenGateDayView.as_view(), name="school_open_day"),
    *crud_urls("spots", "keyspot", create=KeySpotCreateView, edit=KeySpotUpdateView, delete=KeySpotDeleteView),
    *crud_urls("cameras", "camera", create=CameraCreateView, edit=CameraUpdateView),
    *crud_urls("classes", "pupilclass", create=PupilClassCreateView, edit=PupilClassUpdateView),
]
