"""A drill never counts as real work (one mechanism: its exercise incident carries the drill,
`Incident.objects.real()` leaves it out; its obligations are flagged when opened from it,
`Obligation.objects.real()` leaves them out). Every place that counts incidents or their duties is
read before and after a drill whose clocks are missed, whose checklist tasks are overdue and whose
incident issued a public alert, at the same frozen moment: everything reads the same — every home
tile of every role (every tile registered, so a new tile is checked too), the incident board, the
incident and obligation lists of the pages and the API, the obligations board's counts, the
accountability audit and its Word export, the comprehensive ledger's figures, the registers' risk
colour, the briefings' daily table, and the briefings made from the data (their daily rollups,
every section of every app, the dashboard). The drill's own pages show it all."""

from datetime import timedelta

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory

from shouwang.audit import exports as audit_exports
from shouwang.audit import queries as audit
from shouwang.briefings import dashboard, rollups
from shouwang.briefings import queries as briefings
from shouwang.briefings.period import Period
from shouwang.core.home import tiles_for
from shouwang.core.models import Jurisdiction
from shouwang.core.registry import BRIEFING_SECTIONS, LEDGER_FIGURES
from shouwang.incidents import queries as incident_queries
from shouwang.incidents import services as incidents
from shouwang.incidents.models import Incident
from shouwang.incidents.receivers import recent_incident_risk
from shouwang.obligations.choices import State
from shouwang.obligations.filtersets import ObligationFilterSet
from shouwang.obligations.models import Notification, Obligation
from shouwang.obligations.views import counts_by
from shouwang.plans import services
from shouwang.registers import ledger
from shouwang.registers.models import KeyPlace

from .conftest import T0

T1 = T0 + timedelta(hours=3)  # the drill's clocks and tasks are all missed by now
USERS = ("leader", "office", "office1", "viewer", "grid1", "patrol1", "inspector1")


def _docx_text(content):
    import io

    from docx import Document

    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return [p.text for p in doc.paragraphs] + cells


# The plans tiles show the drill (that is their job); the inbox is where a drill's messages reach
# its players, each marked 【演练】 (checked below): neither counts real work.
NOT_COMPARED = ("plans.", "obligations.alerts")


def _tiles(org, username):
    request = RequestFactory().get("/")
    request.user = org.user(username)
    return {t.key: render_to_string(t.template, {"tile": t, "request": request}) for t in tiles_for(request, T1)
            if not t.key.startswith(NOT_COMPARED)}


def snapshot(org, api, client, place):
    day = T1.date()
    out = {f"tiles {u}": _tiles(org, u) for u in USERS}
    for username in ("office", "viewer", "grid1"):
        user = org.user(username)
        out[f"board {username}"] = [i.pk for i in incident_queries.board_rows(user, T1)]
        out[f"api incidents {username}"] = api(user).get("/api/incidents/").json()
        out[f"api obligations {username}"] = api(user).get("/api/obligations/").json()
        answer = api(user).get("/api/audit/", {"node": org.street.pk})
        out[f"api audit {username}"] = (answer.status_code, {k: v for k, v in answer.json().items() if k != "request_id"})
        filterset = ObligationFilterSet(data={}, queryset=Obligation.objects.restrict(user, "view"), now=T1)
        out[f"obligations board {username}"] = counts_by(filterset.qs, T1)
    report = audit.build(org.street, day - timedelta(days=6), day, now=T1)
    out["audit"] = report.as_dict()
    out["audit docx"] = _docx_text(audit_exports.render(report))
    own, children = ledger.ledger(org.street, day)
    out["ledger"] = [(r.node.pk, r.extra, r.places, r.by_colour) for r in [own, *children]]
    out["ledger figures"] = {key: func(org.street) for key, (_label, func) in LEDGER_FIGURES.items()}
    out["risk"] = list(recent_incident_risk(place, day))
    out["briefings"] = [(r.node.pk, [(c.slot, c.state) for c in r.cells])
                        for r in briefings.report_table(day, [org.c1, org.c2], ["morning", "evening"], now=T1)[0]]
    # the briefings made from the data: their daily rollups, every section but the drills' own, the dashboard
    start, end = T1 - timedelta(days=2), T1 + timedelta(days=1)
    out["rollup obligations"] = sorted(rollups.obligation_counts(start, end, now=T1))
    out["rollup incidents"] = sorted(rollups.incident_counts(start, end, now=T1))
    rollups.refresh(T1 + timedelta(days=1))
    period = Period(org.street, day - timedelta(days=2), day, as_of=T1)
    out["sections"] = {key: section.build(period) for key, section in BRIEFING_SECTIONS.items() if key != "plans"}
    board = dashboard.build(org.street, days=7, now=T1)
    out["dashboard"] = (board.today, board.trend, [vars(c) for c in board.children])
    return out


@pytest.fixture
def real_world(org, presets, groups, people):
    """A real incident with a clock missed, at a key place, with a task; what a drill must not change."""
    place = KeyPlace.objects.create(jurisdiction=org.c1, name="一社区农贸市场", kind="unit", category="market")
    incident, _ = incidents.intake(user=org.user("office"), jurisdiction=org.c1, title="市场纠纷引发斗殴",
                                   category="public_order_criminal", level="IV", address="一社区农贸市场",
                                   received_at=T0 - timedelta(minutes=90), key_place=place)
    return {"place": place, "incident": incident}


def test_a_drill_changes_no_real_count_anywhere(org, api, client, real_world, drill, plan):
    place = real_world["place"]
    with time_machine.travel(T1, tick=False):
        before = snapshot(org, api, client, place)
        messages_before = set(Notification.objects.values_list("pk", flat=True))
        missed_before = Obligation.objects.in_state(State.MISSED, T1).count()
        services.start_drill(drill, user=org.user("office"), at=T0)
        exercise = Incident.objects.get(drill=drill)
        Incident.objects.filter(pk=exercise.pk).update(key_place=place)  # a drill at the same market
        incidents.activate(exercise, user=org.user("leader"), plan_version=plan.current, at=T0 + timedelta(minutes=5))
        incidents.issue_alert(exercise, user=org.user("office"), headline="演练：市场封闭")
        services.sweep_drills()
        after = snapshot(org, api, client, place)
    # the drill is really there, with missed duties that a raw count would see ...
    drill_missed = Obligation.objects.drills().in_state(State.MISSED, T1).count()
    assert drill_missed >= 5  # two reporting clocks, three checklist tasks, the responders
    assert Obligation.objects.in_state(State.MISSED, T1).count() == missed_before + drill_missed
    # ... its messages are all marked ...
    new = Notification.objects.exclude(pk__in=messages_before)
    assert new.exists() and all("【演练】" in n.title for n in new)
    # ... and no real count changed
    assert set(before) == set(after)
    for key in before:
        assert before[key] == after[key], key
    # while the real incident does count where it should
    assert real_world["incident"].pk in before["board office"]
    assert before["risk"] and before["audit"]["totals"]["missed"] >= 1


def test_the_drills_own_pages_and_filters_show_it(org, api, login, real_world, drill):
    with time_machine.travel(T1, tick=False):
        services.start_drill(drill, user=org.user("office"), at=T0)
        exercise = Incident.objects.get(drill=drill)
        only = api(org.user("office")).get("/api/incidents/", {"drill": "only"}).json()
        assert [row["id"] for row in only["results"]] == [exercise.pk]
        both = api(org.user("office")).get("/api/incidents/", {"drill": "all"}).json()
        assert {row["id"] for row in both["results"]} == {exercise.pk, real_world["incident"].pk}
        drills_obs = api(org.user("office")).get("/api/obligations/", {"drill": "only"}).json()
        assert drills_obs["count"] == 2 and all(r["title"].startswith("【演练】") for r in drills_obs["results"])
        board = login(org.user("office")).get("/incidents/").content.decode()
        assert "board-drills" in board and exercise.number in board
        table = board.split('id="board-table"', 1)[1].split("</table>", 1)[0]
        assert exercise.number not in table  # the real board's rows stay real
        page = login(org.user("office")).get(exercise.get_absolute_url()).content.decode()
        assert "【演练】" in page


def test_an_incident_and_an_obligation_are_a_drills_by_one_fact(org, real_world, drill):
    with time_machine.travel(T0, tick=False):
        services.start_drill(drill, user=org.user("office"))
    exercise = Incident.objects.get(drill=drill)
    assert list(Incident.objects.real()) == [real_world["incident"]]
    assert list(Incident.objects.drills()) == [exercise]
    mine = Obligation.objects.for_subject(exercise)
    assert mine.exists() and not mine.real().exists() and mine.count() == mine.drills().count()
    assert not Obligation.objects.for_subject(real_world["incident"]).drills().exists()
    assert Jurisdiction.objects.filter(pk=exercise.jurisdiction_id).exists()
