"""Calendar links: a person's duties or a roster as an iCalendar feed behind a secret link that can
be revoked (calendar apps fetch it without logging in; a revoked or unknown link is 404)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from shouwang.core.views.base import ObjectActionView

from .. import ical, queries, services
from ..models import FeedToken

DOMAIN = "shouwang.duty"


def feed_url(request, feed):
    return request.build_absolute_uri(reverse("duty:feed", args=[feed.token]))


class FeedView(generic.View):
    """GET the .ics of a live calendar link."""

    def get(self, request, token):
        feed = (FeedToken.objects.filter(token=token, revoked_at__isnull=True)
                .select_related("person", "roster").first())
        if feed is None:
            raise Http404(_("This calendar link does not exist or was revoked."))
        domain = getattr(settings, "SHOUWANG_ICAL_DOMAIN", DOMAIN)
        body = ical.feed(queries.feed_name(feed), queries.feed_events(feed, domain), timezone.now())
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response


class MyFeedView(LoginRequiredMixin, generic.View):
    """POST: a new calendar link of one's own duties."""

    def post(self, request):
        person = getattr(request.user, "person", None)
        if person is None:
            raise PermissionDenied(_("Your account is not linked to a person of the organisation."))
        services.make_feed(person=person, user=request.user)
        messages.success(request, _("A calendar link was made: copy it into the calendar app."))
        return HttpResponseRedirect(reverse("duty:mine"))


class FeedRevokeView(ObjectActionView):
    model = FeedToken
    right = None  # the service lets a person revoke his own, the office any in its scope
    success_message = gettext_lazy("Revoked: the link answers nothing from now on.")

    def perform(self, obj, form):
        return services.revoke_feed(obj, user=self.request.user)

    def success_url(self, obj):
        back = self.request.POST.get("next", "")
        if back.startswith("/") and not back.startswith("//"):
            return back
        return obj.roster.get_absolute_url() if obj.roster_id else reverse("duty:mine")


urlpatterns = [
    path("calendar/<str:token>.ics", FeedView.as_view(), name="feed"),
    path("calendar/mine/", MyFeedView.as_view(), name="feed_mine"),
    path("calendar/<int:pk>/revoke/", FeedRevokeView.as_view(), name="feedtoken_revoke"),
]
