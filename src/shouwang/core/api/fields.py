"""Times in the API: always in the site's zone at its standard offset, never a local mean time."""

from datetime import UTC, datetime, timedelta
from datetime import timezone as fixed_zone

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

EARLIEST_YEAR = 1900  # nothing this product records happened before


def plausible(moment) -> bool:
    """A time this product could record: not before 1900, and (when it carries one) an offset
    within ±14 hours, the widest on Earth (PostgreSQL refuses wider ones)."""
    offset = moment.utcoffset() if moment.tzinfo is not None else None
    return moment.year >= EARLIEST_YEAR and (offset is None or abs(offset) <= timedelta(hours=14))


def standard_offset(zone):
    """The zone's offset in ordinary times (zoneinfo gives Asia/Shanghai +08:05:43 before 1901)."""
    return datetime(2000, 1, 1, tzinfo=UTC).astimezone(zone).utcoffset()


class SiteDateTimeField(serializers.DateTimeField):
    """A date-time; input before 1900 is a field error, output carries whole-minute offsets
    (`+08:00`, not the local mean time of the zone's early history)."""

    default_error_messages = {"implausible": _("Not a plausible date.")}

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if not plausible(moment):
            self.fail("implausible")
        return moment

    def enforce_timezone(self, value):
        value = super().enforce_timezone(value)
        offset = value.utcoffset() if timezone.is_aware(value) else None
        if offset is not None and offset.seconds % 60:
            zone = getattr(self, "timezone", None) or self.default_timezone()
            value = value.astimezone(fixed_zone(standard_offset(zone)))
        return value


class SiteModelSerializer(serializers.ModelSerializer):
    """Model serializers whose date-times are `SiteDateTimeField`s."""

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping,
                                models.DateTimeField: SiteDateTimeField}


class DownloadField(serializers.FileField):
    """A stored file given as the absolute URL of the API view that serves it to those who may
    see its record (`<basename>-<action>` on the router), never the bare /media/ path (which is
    not served), or null when there is no file."""

    def __init__(self, *args, route, **kwargs):
        self.route = route
        kwargs.setdefault("allow_null", True)
        super().__init__(*args, **kwargs)

    def get_attribute(self, instance):
        self._pk = instance.pk
        return super().get_attribute(instance)

    def to_representation(self, value):
        if not value:
            return None
        url = reverse(self.route, args=[self._pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
