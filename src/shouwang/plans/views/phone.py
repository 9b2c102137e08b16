"""The phone pages of drills and training: a player's running drills, the injects sent to him with
the actions expected of him (one tap logs one, a retry is the same logging), an evaluator's ratings
and observations; signing in to a training session by its QR code."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shouwang.core.models import Person
from shouwang.core.scope import can_at
from shouwang.core.views.base import is_partial

from .. import queries, services
from ..forms import EvaluationForm, LogActionForm
from ..models import Drill, ExpectedAction, Session


def _person(user):
    return Person.objects.filter(user=user).first()


@login_required
def phone(request):
    """The drills running now that the user plays in or may see, with how many injects are his."""
    person = _person(request.user)
    mine = {}
    for inject in queries.open_injects_for(person):
        mine[inject.drill_id] = mine.get(inject.drill_id, 0) + 1
    drills = [(d, mine.get(d.pk, 0)) for d in queries.live_drills(request.user)]
    return render(request, "plans/phone.html", {"drills": drills, "person": person})


@login_required
def phone_drill(request, pk):
    drill = get_object_or_404(Drill.objects.restrict(request.user, "view").select_related("jurisdiction"), pk=pk)
    person = _person(request.user)
    evaluator = services.may_evaluate(drill, request.user)
    sees_all = evaluator or can_at(request.user, "plans", "change", drill.scope_path)
    rows = []
    for row, mine in queries.player_view(drill, person):
        if not (mine or sees_all):
            continue  # a player is told what is meant for him, not the other teams' injects
        actions = [(item, services.may_log(item.action, request.user)) for item in row.actions]
        rows.append({"row": row, "mine": mine, "actions": actions})
    ctx = {"drill": drill, "rows": rows, "evaluator": evaluator, "live": drill.is_live,
           "ratings": EvaluationForm.base_fields["rating"].choices, "new_uuid": lambda: str(uuid.uuid4()),
           "elapsed": drill.elapsed()}
    template = "plans/_phone_injects.html" if is_partial(request) else "plans/phone_drill.html"
    return render(request, template, ctx)


def _back(action):
    return HttpResponseRedirect(reverse("plans:phone_drill", args=[action.inject.drill_id]))


def _action(request, pk):
    return get_object_or_404(ExpectedAction.objects.restrict(request.user, "view").select_related("inject__drill"),
                             pk=pk)


def _refused(request, exc):
    if isinstance(exc, ValidationError):
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(exc))


@login_required
@require_POST
def phone_log(request, pk):
    action = _action(request, pk)
    form = LogActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was not complete; try again."))
        return _back(action)
    try:
        services.log_action(action, user=request.user, note=form.cleaned_data["note"],
                            client_uuid=form.cleaned_data["client_uuid"])
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Logged: %(action)s") % {"action": action.text})
    return _back(action)


@login_required
@require_POST
def phone_evaluate(request, pk):
    action = _action(request, pk)
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a rating: P, S, M or U."))
        return _back(action)
    try:
        services.evaluate(action, user=request.user, rating=form.cleaned_data["rating"],
                          observation=form.cleaned_data["observation"], client_uuid=form.cleaned_data["client_uuid"])
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Rating recorded."))
    return _back(action)


@login_required
def sign_in(request, token):
    """The page the session's QR code opens: who the user is, the session, one button to sign in.
    The token in the code is the invitation: the session may be on a node above the user's."""
    session = get_object_or_404(Session.objects.select_related("course", "jurisdiction"), token=token)
    person = _person(request.user)
    attendance = session.attendances.filter(person=person).first() if person else None
    if request.method == "POST":
        try:
            attendance, created = services.sign_in(session, user=request.user,
                                                   client_uuid=request.POST.get("client_uuid") or None)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("You are signed in.") if created else _("You were signed in already."))
        return HttpResponseRedirect(request.path)
    return render(request, "plans/sign_in.html", {"session": session, "person": person, "attendance": attendance,
                                                  "client_uuid": str(uuid.uuid4()),
                                                  "hours": queries.hours_of(person) if person else 0})


urlpatterns = [
    path("m/", phone, name="phone"),
    path("m/drills/<int:pk>/", phone_drill, name="phone_drill"),
    path("m/actions/<int:pk>/log/", phone_log, name="phone_log"),
    path("m/actions/<int:pk>/evaluate/", phone_evaluate, name="phone_evaluate"),
    path("m/sign/<str:token>/", sign_in, name="sign_in"),
]
