"""Evidence contracts of the registers: stock movements, risk ratings and attachments are
scoped, in the change log, and never edited (attachments may be removed, as before)."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from shouwang.registers import services
from shouwang.registers.models import (
    Attachment,
    HazardousStock,
    KeyPlace,
    RiskRating,
    StockMovement,
)
from tests.crud import ApiDetail, ApiList, EvidenceContract, log_rows


def _place(node):
    return KeyPlace.objects.get_or_create(jurisdiction=node, name=f"{node.name}加油站",
                                          defaults={"kind": "unit", "category": "petroleum", "lat": 31.23, "lon": 121.47})[0]


class TestStockMovementEvidence(EvidenceContract):
    model = StockMovement
    api_path = "/api/stock-movements/"

    def make(self, org, node):
        stock = HazardousStock.objects.create(jurisdiction=node, place=_place(node), substance="92号汽油",
                                              hazard_class="3", quantity=Decimal("10"), unit_of_measure="t")
        return services.record_movement(stock, kind="in", quantity=Decimal("2"), by=org.user("admin"))


class TestRiskRatingEvidence(EvidenceContract):
    model = RiskRating
    api_path = "/api/risk-ratings/"

    def make(self, org, node):
        return services.set_colour(_place(node), colour="orange", reason="节前检查", by=org.user("admin"))


class TestAttachmentScope(ApiList, ApiDetail):
    model = Attachment
    api_path = "/api/attachments/"

    @pytest.fixture(autouse=True)
    def _media(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path

    def make(self, org, node):
        place = _place(node)
        attachment = Attachment(jurisdiction=node, place=place, kind="plan", title=f"{node.name}预案", size=3)
        attachment.file.save("plan.txt", ContentFile(b"abc"), save=False)
        attachment.save()
        return attachment

    def test_creation_is_logged_and_removal_is_scoped(self, api, org, records):
        assert log_rows(records["mine"], "create").count() == 1
        client = api(org.user("office1"))
        assert client.patch(f"{self.api_path}{records['mine'].pk}/", {"title": "x"}, format="json").status_code == 405
        assert client.delete(f"{self.api_path}{records['other'].pk}/").status_code == 404
        assert client.delete(f"{self.api_path}{records['mine'].pk}/").status_code == 204
        assert log_rows(records["mine"], "delete").count() == 1
