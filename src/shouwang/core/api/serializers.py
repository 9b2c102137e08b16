from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from rest_framework import serializers

from ..models import (
    ChangeLogEntry,
    Contact,
    Group,
    Holiday,
    Jurisdiction,
    Membership,
    Person,
    RoleAssignment,
    Unit,
)
from ..services import create_node
from .base import ScopedModelSerializer, ScopedRelatedField
from .fields import SiteModelSerializer


class JurisdictionSerializer(ScopedModelSerializer):
    parent = ScopedRelatedField(
        queryset=Jurisdiction.objects.all(), area="org", action="add", required=False, allow_null=True,
        write_only=True,
    )
    parent_id = serializers.SerializerMethodField()

    class Meta:
        model = Jurisdiction
        fields = [
            "id", "code", "name", "level", "parent", "parent_id", "depth", "path", "area_km2",
            "resident_population", "actual_population", "lat", "lon", "boundary",
        ]
        read_only_fields = ["depth", "path"]

    def get_parent_id(self, obj) -> int | None:
        parent = obj.parent_node()
        return parent.pk if parent else None

    def validate(self, attrs):
        parent = attrs.get("parent")
        if self.instance is None and parent is None and not self.context["request"].user.is_superuser:
            raise serializers.ValidationError({"parent": [self.fields["parent"].error_messages["required"]]})
        if parent is not None and "level" in attrs:

            try:
                parent.check_child_level(attrs["level"])
            except ValidationError as exc:
                raise serializers.ValidationError(exc.message_dict) from exc
        if self.instance is not None:
            attrs.pop("parent", None)  # moves go through /move/, which checks the tree
        return attrs

    def create(self, validated_data):
        parent = validated_data.pop("parent", None)
        return create_node(parent=parent, **validated_data)


class MoveSerializer(serializers.Serializer):
    parent = ScopedRelatedField(queryset=Jurisdiction.objects.all(), area="org", action="change")


class UnitSerializer(ScopedModelSerializer):
    class Meta:
        model = Unit
        fields = [
            "id", "jurisdiction", "name", "kind", "address", "lat", "lon", "phone",
            "responsible_person", "liaison", "created_at", "updated_at",
        ]


class PersonSerializer(ScopedModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "jurisdiction", "name", "kind", "title", "phone", "email", "unit", "active", "created_at", "updated_at"]


class MembershipSerializer(ScopedModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "group", "person", "position", "duties", "order"]


class GroupSerializer(ScopedModelSerializer):
    members = MembershipSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = Group
        fields = ["id", "jurisdiction", "name", "kind", "working_kind", "duties", "members"]


class ContactSerializer(ScopedModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "jurisdiction", "label", "person", "name", "phone", "call_order", "hours", "notes"]


class RoleAssignmentSerializer(ScopedModelSerializer):
    user = ScopedRelatedField(queryset=get_user_model().objects.all())  # accounts in the user's scope only

    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "role", "jurisdiction"]


class ChangeLogEntrySerializer(SiteModelSerializer):
    object_type = serializers.SerializerMethodField()
    jurisdiction_path = serializers.CharField(read_only=True, help_text="the node's path in the tree as it is now")

    class Meta:
        model = ChangeLogEntry
        fields = [
            "id", "time", "user", "user_name", "request_id", "source", "action", "object_type",
            "object_id", "object_repr", "jurisdiction", "jurisdiction_path", "before", "after",
        ]

    def get_object_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class HolidaySerializer(ScopedModelSerializer):
    class Meta:
        model = Holiday
        fields = ["id", "jurisdiction", "name", "kind", "starts_on", "ends_on", "created_at", "updated_at"]
