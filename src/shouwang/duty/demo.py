"""Demo duty, made through the services (invented names throughout):

- the street's month of 24-hour duty (望川街道值班表): a leader on duty and a duty officer every day,
  each in turn, published;
- the full-time patrol team on four teams, three shifts (06–14–22), twelve patrollers (the demo's
  patrol member among them), published;
- 明湖's volunteers on day patrol, one a day in turn, and an evening patrol for the first two
  evenings of the event;
- a 3-day enhanced posture on the street from the day after tomorrow: the volunteers then need
  two a day, and the third day lacks one (the one shortfall, told to the office);
- one swap refused for rest: a patroller on the early shift asks a colleague who comes off the night
  shift that morning.

A second run adds nothing (the street's roster is looked up by name)."""

import calendar
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shouwang.core.choices import PersonKind
from shouwang.core.clock import local_datetime
from shouwang.core.models import Jurisdiction, Person, Team

from . import layouts, services
from .choices import Layout, Pattern, Post, PostureLevel, SwapState
from .models import Assignment, Roster

STREET_ROSTER = "望川街道值班表"
PATROL_ROSTER = "专职巡防队四班三运转"
VOLUNTEER_ROSTER = "明湖志愿者日间巡逻"
EVENING_ROSTER = "明湖志愿者活动晚间巡逻"
PATROLLERS = ["韩志远", "杨晨曦", "朱浩然", "秦明亮", "尤嘉怡", "许俊杰", "何宇航", "吕欣然", "施思远", "张秀英",
              "孔振东", "曹佳乐"]


def _office_user():
    return get_user_model().objects.filter(username="office").first()


def _period(today):
    """From the 1st of this month to its end, and on for the 30 days the posture panel shows."""
    first = today.replace(day=1)
    days = max(calendar.monthrange(today.year, today.month)[1], (today - first).days + 31)
    return first, min(days, 92)


@transaction.atomic
def load(out=print):
    street = Jurisdiction.objects.filter(code="QL-WC").first()
    if street is None:
        out("Demo duty skipped: no demo street.")
        return False
    if Roster.objects.filter(jurisdiction=street, name=STREET_ROSTER).exists():
        out("Demo duty already loaded.")
        return False
    user = _office_user()
    today = timezone.localdate()
    first, days = _period(today)
    staff = {p.title: p for p in Person.objects.filter(jurisdiction=street, kind=PersonKind.STAFF).exclude(title="")}
    leader_user = Person.objects.filter(user__username="leader").first()
    office_person = Person.objects.filter(user__username="office").first()

    # The street's 24-hour duty: a leader on duty and a duty officer every day, in turn.
    leaders = [p for p in [leader_user, staff.get("党工委书记"), staff.get("办事处主任"), staff.get("分管平安副主任")] if p]
    officers = [p for p in [office_person, staff.get("城运中心值班长"), staff.get("平安办干事"), staff.get("综治干事"),
                            staff.get("应急干事")] if p]
    shifts, demand = layouts.build(Layout.DUTY_24, post=Post.DUTY_OFFICER, per_shift=1, leader=True)
    duty = services.create_roster(node=street, name=STREET_ROSTER, starts_on=first, days=days, shifts=shifts,
                                  demand=demand, rules=layouts.rules_of(Layout.DUTY_24), owner=staff.get("平安办主任"),
                                  members=officers, leaders=leaders, user=user)
    services.generate(duty, pattern=Pattern.DAILY, groups=[leaders], post=Post.LEADER, user=user)
    services.generate(duty, pattern=Pattern.DAILY, groups=[officers], post=Post.DUTY_OFFICER, user=user)
    services.publish(duty, user=user)

    # The full-time patrol team on four teams, three shifts.
    team = Team.objects.filter(jurisdiction=street, kind="full_time").order_by("pk").first()
    if team is None:
        team = Team.objects.create(jurisdiction=street, name="望川街道专职巡防队", kind="full_time")
    patrollers = []
    # the demo's patrol member (user "patrol") is the twelfth, so that he finds his duties on his phone
    mine = Person.objects.filter(user__username="patrol").first()
    for i, name in enumerate(PATROLLERS[:-1] if mine else PATROLLERS):
        person, _created = Person.objects.get_or_create(
            jurisdiction=street, name=name, kind=PersonKind.PATROL,
            defaults={"title": "专职巡防队员", "phone": f"139{5000 + i:04d}{1000 + i * 7:04d}",
                      "email": f"patrol{i}@example.invalid"})
        patrollers.append(person)
    if mine:
        patrollers.append(mine)
    team.members.add(*patrollers)
    shifts, demand = layouts.build(Layout.THREE_SHIFTS, post=Post.PATROL, per_shift=3)
    rota = services.create_roster(node=street, name=PATROL_ROSTER, starts_on=first, days=days, shifts=shifts,
                                  demand=demand, rules=layouts.rules_of(Layout.THREE_SHIFTS), team=team,
                                  owner=staff.get("城运中心值班长"), members=patrollers, user=user)
    services.generate(rota, pattern=Pattern.FOUR_TEAMS, groups=[patrollers[i:i + 3] for i in range(0, 12, 3)],
                      user=user)
    services.publish(rota, user=user)

    # 明湖's volunteers: one on day patrol each day; two more on the first two evenings of the event.
    mh = Jurisdiction.objects.filter(code="QL-WC-MH").first()
    volunteers_team = Team.objects.filter(jurisdiction=mh, kind="volunteers").first() if mh else None
    event = today + timedelta(days=2)
    if volunteers_team is not None and volunteers_team.members.count() >= 3:
        volunteers = list(volunteers_team.members.order_by("pk")[:3])
        shifts, demand = layouts.build(Layout.OFFICE_DAY, post=Post.PATROL, per_shift=1)
        day_patrol = services.create_roster(node=mh, name=VOLUNTEER_ROSTER, starts_on=first, days=days, shifts=shifts,
                                            demand=demand, rules=layouts.rules_of(Layout.OFFICE_DAY),
                                            team=volunteers_team, members=volunteers, user=user)
        services.generate(day_patrol, pattern=Pattern.DAILY, groups=[volunteers], post=Post.PATROL, user=user)
        services.publish(day_patrol, user=user)
        on_day = {a.day: a.person_id for a in Assignment.objects.filter(roster=day_patrol)}
        evening = services.create_roster(
            node=mh, name=EVENING_ROSTER, starts_on=event, days=2,
            shifts=[{"id": "evening", "label": "晚间巡逻", "start": "18:00", "end": "21:00"}],
            demand=[{"shift": "evening", "role": Post.PATROL, "count": 1}], team=volunteers_team,
            members=volunteers, user=user)
        free = [next(v for v in volunteers if v.pk != on_day.get(event + timedelta(days=d))) for d in range(2)]
        services.replace_days(evening, days=[event, event + timedelta(days=1)], columns={("evening", Post.PATROL)},
                              rows=[(free[d], event + timedelta(days=d), "evening", Post.PATROL) for d in range(2)],
                              user=user)
        services.publish(evening, user=user)

    # Three days of enhanced posture on the street (the event), set by the leader.
    leader = get_user_model().objects.filter(username="leader").first()
    services.set_posture(node=street, level=PostureLevel.ENHANCED, starts_at=local_datetime(event),
                         ends_at=local_datetime(event + timedelta(days=3)),
                         reason="望川会展中心大型展会，三天加强防控", user=leader)

    # One swap refused for rest: an early-shift patroller asks a colleague who came off the night shift.
    swap_refused(rota, today, user)
    out("Demo duty loaded.")
    return True


def swap_refused(rota, today, user):
    rows = list(Assignment.objects.live().filter(roster=rota, day__gt=today).select_related("person", "roster"))
    nights = {(a.person_id, a.day) for a in rows if a.shift == "night"}
    working = {(a.person_id, a.day) for a in rows}
    for a in sorted((a for a in rows if a.shift == "early"), key=lambda a: (a.day, a.person.name)):
        colleague = next((b.person for b in rows if (b.person_id, a.day - timedelta(days=1)) in nights
                          and (b.person_id, a.day) not in working), None)
        if colleague is not None:
            swap = services.request_swap(assignment=a, colleague=colleague, reason="家中有事，想请同事代班", user=user)
            assert swap.state == SwapState.REFUSED, swap.refusal
            return swap
    return None
