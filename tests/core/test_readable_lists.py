"""Lists people read (issue 12.2): empty filter choices read 全部, distances are whole metres,
the check-in list's route filter is a choice of routes in scope."""

from datetime import timedelta

from django.utils import timezone, translation

from shouwang.patrols.models import CheckIn
from tests.patrols.conftest import patrol  # noqa: F401 - fixture


def test_filters_and_numbers_read_as_people_write_them(login, org, patrol):  # noqa: F811
    CheckIn.objects.create(jurisdiction=org.c1, checkpoint=patrol.gate, method="gps", at=timezone.now() - timedelta(minutes=5),
                           received_at=timezone.now(), user=org.user("patrol1"), member=patrol.member,
                           lat=31.2, lon=121.4, distance_m=2001.5086796024987, client_uuid="7f0c6a59-7c55-4b55-9d3f-0b9b8f1d2e3a")
    html = login(org.user("office1")).get("/patrols/checkins/").content.decode()
    assert "---------" not in html and ">全部</option>" in html
    assert "2001.5086796024987" not in html and ("2,002" in html or "2002" in html)
    assert '<select name="route"' in html and f'<option value="{patrol.route.pk}">{patrol.route.name}</option>' in html


def test_the_change_log_names_the_person_not_the_login(login, org, units):
    from shouwang.core.models import Person
    office = org.user("office")
    Person.objects.create(jurisdiction=org.street, name="吴丽华", kind="staff", user=office)
    client = login(office)
    unit = units["c1"]
    response = client.post(f"/org/units/{unit.pk}/edit/", {"jurisdiction": org.c1.pk, "name": "一社区第一学校",
                                                           "kind": unit.kind})
    assert response.status_code == 302
    for page in ("/org/changes/", f"/org/units/{unit.pk}/"):
        html = client.get(page).content.decode()
        assert "<td>吴丽华</td>" in html and "<td>office</td>" not in html


def test_history_hides_bookkeeping_and_names_kinds_and_rules(db):
    from django.contrib.contenttypes.models import ContentType

    from shouwang.core.models import ChangeLogEntry
    from shouwang.obligations import kinds
    from shouwang.obligations.models import Obligation
    from shouwang.policies.services import RULE_LABELS

    kind, rule = next(iter(kinds.known())), next(iter(RULE_LABELS))
    entry = ChangeLogEntry(content_type=ContentType.objects.get_for_model(Obligation), before=None, after={
        "kind": kind, "rule": rule, "key": "daily:8:2026-12-05:evening", "sweep_token": 0, "escalation_step": 1,
        "title": "云杉社区 晚报"})
    with translation.override("zh-hans"):
        rows = {label: new for label, _old, new in entry.changed_fields}
        assert rows["类别"] == kinds.label(kind) != kind and rows["规则"] == str(RULE_LABELS[rule]) != rule
    assert not {"唯一键", "sweep token", "escalation step", "key"} & set(rows)
    assert rows["标题"] == "云杉社区 晚报"
