"""In Chromium: a policy edited as YAML (an absurd limit refused, then saved as a new version);
a missed obligation shows in the inbox badge and leads to its page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shouwang.core.choices import PersonKind
from shouwang.core.models import Person
from shouwang.obligations import escalation, services
from shouwang.policies.services import assign, copy_policy, load_presets

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _password(user):
    user.set_password(f"pw-{user.username}")
    user.save()
    return f"pw-{user.username}"


def test_edit_a_policy_as_yaml(org, log_in):
    presets = {p.code: p for p in load_presets(out=lambda *_: None)}
    policy = copy_policy(presets["street-prevention-plan-d"], node=org.c1, code="c1-d", name="一社区预防方案")
    assign(org.c1, policy)
    page = log_in("office1", _password(org.user("office1")))
    page.goto(f"/policies/{policy.pk}/")
    page.click("text=修改（生成新版本）")
    text = page.input_value("#id_rules")
    assert "office_after_minutes: 60" in text
    page.fill("#id_rules", text.replace("office_after_minutes: 60", "office_after_minutes: 99999"))
    page.fill("#id_note", "上报时限调整")
    page.click("main button[type=submit]")
    page.wait_for_selector("ul.errorlist[data-field=rules]")
    assert "99999" in page.inner_text("ul.errorlist[data-field=rules]")
    assert policy.versions.count() == 1
    page.fill("#id_rules", text.replace("office_after_minutes: 60", "office_after_minutes: 45"))
    page.click("main button[type=submit]")
    page.wait_for_selector("#versions")
    assert policy.versions.count() == 2 and policy.versions.get(number=2).rules["escalation"]["office_after_minutes"] == 45
    page.goto(f"/policies/effective/{org.c1.pk}/")
    assert "c1-d" in page.inner_text("tr[data-section=escalation]") or "一社区预防方案" in page.inner_text(
        "tr[data-section=escalation]")


def test_inbox_badge_leads_to_the_missed_obligation(org, log_in):
    person = Person.objects.create(jurisdiction=org.c1, name="网格员甲", kind=PersonKind.GRID_WORKER, user=org.user("grid1"))
    now = timezone.now()
    ob = services.open_obligation(kind="test.e2e", title="一社区晚报", jurisdiction=org.c1, opens_at=now - timedelta(hours=2),
                                  due_at=now - timedelta(minutes=10), responsible_person=person)
    escalation.sweep()
    page = log_in("grid1", _password(org.user("grid1")))
    assert page.inner_text("#unread-count") == "1"
    page.click("a.inbox")
    page.click("li.unread a")
    page.wait_for_selector("h1:has-text('一社区晚报')")
    assert page.inner_text("#state") == "已超时" and page.url.endswith(f"/obligations/{ob.pk}/")
    assert page.inner_text("#unread-count") == "0"
