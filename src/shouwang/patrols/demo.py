"""Demo patrols: teams, routes round the schools, the metro station and the substation, a week of check-ins.

Checkpoints are tied to the registers demo's key places when those exist (looked up by name).
"""

import random
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shouwang.core.demo import HISTORY
from shouwang.core.models import Jurisdiction, Person, Team, Unit
from shouwang.obligations.models import Obligation
from shouwang.registers.models import KeyPlace

from . import services
from .choices import KIND_CHECKIN
from .models import Checkpoint, Route, Schedule

OFFSETS = [(0.0, 0.0), (0.0012, 0.0009), (-0.0010, 0.0014)]


def _place(name):
    return KeyPlace.objects.filter(name__contains=name).order_by("pk").first()


def _point(route, order, name, unit_name, must=False, minutes=0, shift=0):
    unit = Unit.objects.filter(name=unit_name).first()
    base = (unit.lat, unit.lon) if unit and unit.lat is not None else (route.jurisdiction.lat or 31.23, route.jurisdiction.lon or 121.478)
    dlat, dlon = OFFSETS[shift % len(OFFSETS)]
    return Checkpoint.objects.create(route=route, order=order, name=name, lat=round(base[0] + dlat * 0.1, 6),
                                     lon=round(base[1] + dlon * 0.1, 6), radius_m=80, must_visit=must,
                                     minutes_from_previous=minutes, key_place=_place(unit_name))


def _team(node, name, kind, people, equipment, unit=None):
    team = Team.objects.create(jurisdiction=node, name=name, kind=kind, leader=people[0], equipment=equipment, unit=unit)
    team.members.set(people)
    return team


@transaction.atomic
def load(out=print):
    street = Jurisdiction.objects.filter(code="QL-WC").first()
    if street is None:
        out("Demo patrols skipped: no demo street.")
        return False
    if Team.objects.filter(jurisdiction=street).exists():
        out("Demo patrols already loaded.")
        return False
    nodes = {n.code: n for n in Jurisdiction.objects.filter(code__startswith="QL-WC-", depth=street.depth + 1)}
    la, mh, fl = nodes["QL-WC-LA"], nodes["QL-WC-MH"], nodes["QL-WC-FL"]

    def people(node, kinds=("volunteer", "grid_worker"), n=3):
        return list(Person.objects.filter(jurisdiction=node, kind__in=kinds).order_by("pk")[:n])

    patrol_person = Person.objects.filter(user__username="patrol").first()
    school_team = _team(la, "柳岸护校队", "school", ([patrol_person] if patrol_person else []) + people(la),
                        "对讲机、防刺背心、钢叉", Unit.objects.filter(name="柳岸小学").first())
    street_team = _team(street, "望川街道专职巡防队", "full_time", people(street, ("staff",), 2) + people(mh, n=2),
                        "巡逻车、执法记录仪、对讲机")
    night_team = _team(fl, "枫林夜间巡防队", "militia", people(fl), "强光手电、对讲机、执法记录仪")
    _team(mh, "明湖平安志愿者队", "volunteers", people(mh, ("volunteer",)), "红袖标、口哨")

    school_route = Route.objects.create(jurisdiction=la, name="柳岸校园护校路线", description="望川中学、柳岸小学校门上学放学时段值守")
    _point(school_route, 1, "望川中学校门", "望川中学", must=True)
    _point(school_route, 2, "柳岸小学校门", "柳岸小学", must=True, minutes=8)
    day_route = Route.objects.create(jurisdiction=street, name="柳岸—明湖日间巡逻线", description="早晚高峰巡逻")
    _point(day_route, 1, "柳岸小学西侧", "柳岸小学", shift=1)
    _point(day_route, 2, "柳岸农贸市场", "柳岸农贸市场", minutes=10)
    _point(day_route, 3, "地铁明湖站A口", "地铁明湖站", must=True, minutes=15)
    _point(day_route, 4, "望川会展中心广场", "望川会展中心", minutes=10)
    night_route = Route.objects.create(jurisdiction=fl, name="枫林夜巡线", description="变电站、通信基站夜间交叉巡逻")
    _point(night_route, 1, "枫林110千伏变电站大门", "枫林110千伏变电站", must=True)
    _point(night_route, 2, "枫林通信基站", "枫林通信基站", minutes=12)

    school = Schedule.objects.create(jurisdiction=la, name="护校岗上学放学签到", team=school_team, route=school_route,
                                     days="school", policy_windows=True)
    if not school.windows and not services.effective(la).get("checkin_windows"):
        school.windows = [{"name": "school_arrival", "start": "07:15", "end": "07:45"},
                          {"name": "school_dismissal", "start": "16:00", "end": "16:30"}]
        school.policy_windows = False
        school.save()
    Schedule.objects.create(jurisdiction=street, name="早晚高峰巡逻", team=street_team, route=day_route, days="every",
                            windows=[{"name": "morning_rush", "label": "早高峰巡逻", "start": "07:30", "end": "09:00"},
                                     {"name": "evening_rush", "label": "晚高峰巡逻", "start": "17:00", "end": "19:00"}])
    Schedule.objects.create(jurisdiction=fl, name="夜间交叉巡逻", team=night_team, route=night_route, days="every",
                            windows=[{"name": "night", "label": "夜间交叉巡逻", "start": "22:00", "end": "02:00"}])
    roving = _roving_windows(timezone.localtime())
    if roving:
        Schedule.objects.create(jurisdiction=street, name="街面流动巡逻", team=street_team, route=day_route, days="every",
                                windows=roving)

    Schedule.objects.update(created_at=timezone.now() - HISTORY)  # the routes ran long before the demo week
    _week_of_checkins(out)
    services.open_patrol_windows()
    out("Demo patrols loaded.")
    return True


def _roving_windows(now):
    """Windows laid round the time the demo is loaded, so that whenever it is loaded today shows
    one met (ended 3 h ago), one missed (ended an hour ago), one open and due soon, one to come.
    Windows that would fall outside today are left out (the demo loaded near midnight)."""
    out = []
    for name, label, start in (("roving_1", "流动巡逻（一）", -210), ("roving_2", "流动巡逻（二）", -90),
                               ("roving_3", "流动巡逻（三）", -10), ("roving_4", "流动巡逻（四）", 120)):
        begin = now + timedelta(minutes=start)
        end = begin + timedelta(minutes=30)
        if begin.date() == now.date() and end.date() == now.date():
            out.append({"name": name, "label": label, "start": begin.strftime("%H:%M"), "end": end.strftime("%H:%M")})
    return out


def _week_of_checkins(out):
    """A week of windows up to now: most met, a few missed, one late, one check-in flagged 2 km
    away; today's ended windows are met but for one, and half the points of an open window."""
    rng = random.Random(6)
    now = timezone.now()
    today = timezone.localdate(now)
    services.open_patrol_windows(now=now, days=[today - timedelta(days=d) for d in range(7, -1, -1)])
    admin = get_user_model().objects.filter(is_superuser=True).first()
    team_of = {s.pk: s.team for s in Schedule.objects.select_related("team")}
    started = list(Obligation.objects.of_kind(KIND_CHECKIN).opened_by(now).order_by("window_start", "pk"))
    # the roving window that ended an hour ago stays missed
    past = [ob for ob in started if ob.due_at < now and "流动巡逻（二）" not in ob.title]
    missed = {past[i].pk for i in range(3, len(past), max(len(past) // 4, 1))}
    # an open window: its first point is checked, the rest still to do
    past += [ob for ob in started if ob.due_at >= now and int(ob.subject_id) % 2 == 0]
    late_done = flagged_done = False
    for ob in past:
        if ob.pk in missed:
            continue
        point = Checkpoint.objects.get(pk=int(ob.subject_id))
        team = team_of[int(ob.key.split(":")[1])]
        members = list(team.members.all()) or [team.leader]
        member = members[ob.pk % len(members)]
        # never before the window opened: loaded a minute after it opens, 'a minute ago' is too early
        at = max(min(ob.window_start + timedelta(minutes=rng.randint(2, 20)), now - timedelta(minutes=1)), ob.opens_at)
        lat, lon = point.lat, point.lon
        if not late_done and ob.due_at < now - timedelta(days=2):
            at, late_done = ob.due_at + timedelta(minutes=12), True
        elif not flagged_done and ob.due_at < now - timedelta(days=3):
            lat, flagged_done = point.lat + 0.018, True  # about 2 km off: flagged, kept
        services.record_checkins(admin, [{
            "client_uuid": str(uuid.uuid4()), "method": "qr", "token": services.make_token(point),
            "lat": lat, "lon": lon, "accuracy": 15, "member": member.pk, "device_time": at.isoformat(),
            "window": ob.pk,  # two windows of a point can overlap: credit the one this was made for
        }], device_now=(at + timedelta(seconds=20)).isoformat(), received_at=at + timedelta(seconds=20))
    out(f"Demo check-ins: {len(past) - len(missed)} windows met, {len(missed)} missed.")
