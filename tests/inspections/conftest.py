import io
import uuid

import pytest
from django.utils import timezone
from PIL import Image

from shouwang.core.choices import PersonKind, Role, UnitKind
from shouwang.core.models import Person, Unit
from shouwang.inspections import services
from shouwang.registers.models import KeyPlace
from tests.conftest import make_user

ITEMS = [
    {"section": "消防", "text": "灭火器在有效期内", "answer_type": "yes_no", "severity": "general"},
    {"section": "消防", "text": "消防通道畅通", "answer_type": "yes_no", "severity": "serious", "photo_required": True},
    {"section": "油罐", "text": "油罐区可燃气体浓度（%LEL）", "answer_type": "number", "max_value": 20,
     "unit_label": "%LEL", "severity": "major"},
    {"section": "管理", "text": "值班记录", "answer_type": "choice", "options": ["完整", "不完整", "缺失"],
     "failing_options": ["缺失"], "severity": "note"},
    {"section": "管理", "text": "备注", "answer_type": "text", "severity": "note"},
]


def png_data_url(colour="red"):
    import base64

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def station(org):
    unit = Unit.objects.create(jurisdiction=org.c1, name="东湖加油站有限公司", kind=UnitKind.BUSINESS)
    liaison_user = make_user("liaison1", Role.UNIT_LIAISON, org.c1)
    person = Person.objects.create(jurisdiction=org.c1, name="钱晓东", kind=PersonKind.CONTACT, unit=unit,
                                   user=liaison_user)
    unit.responsible_person = person
    unit.save()
    org.users["liaison1"] = liaison_user
    org.users["inspector1"] = make_user("inspector1", Role.INSPECTOR, org.street)
    org.users["inspector2"] = make_user("inspector2", Role.INSPECTOR, org.street)
    return KeyPlace.objects.create(jurisdiction=org.c1, name="东湖加油站", kind="unit", category="petroleum",
                                   unit=unit, responsible_unit=unit, responsible_person=person, lat=31.23, lon=121.47)


@pytest.fixture
def template(org):
    return services.create_template(node=org.street, name="加油站检查表", category="petroleum", items=ITEMS)


def answers(version, **overrides):
    """All-pass answers for `version`, with {item text: value} overrides."""
    out = []
    for item in version.items.all():
        value = {"yes_no": "yes", "number": "5", "choice": item.options[0] if item.options else "",
                 "text": "无", "photo": ""}[item.answer_type]
        value = overrides.get(item.text, value)
        entry = {"item": item.pk, "value": value}
        if item.photo_required:
            entry["photos"] = [png_data_url()]
        out.append(entry)
    return out


def inspect(user, place, version, at=None, **overrides):
    return services.record_inspection(user, {
        "client_uuid": str(uuid.uuid4()), "place": place.pk, "version": version.pk,
        "finished_at": (at or timezone.now()).isoformat(), "answers": answers(version, **overrides),
        "lat": 31.23, "lon": 121.47, "present_person": "钱晓东",
    })
