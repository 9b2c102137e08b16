from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shouwang.core.api.base import ScopedModelSerializer, ScopedRelatedField
from shouwang.core.api.fields import SiteModelSerializer

from ..models import NodePolicy, Policy, PolicyVersion


class PolicyVersionSerializer(SiteModelSerializer):
    policy = ScopedRelatedField(queryset=Policy.objects.all(), action="change")
    created_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = PolicyVersion
        fields = ["id", "policy", "number", "rules", "note", "effective_from", "created_at", "created_by"]
        read_only_fields = ["number", "created_at", "created_by"]
        extra_kwargs = {"effective_from": {"required": False}}


class PolicySerializer(SiteModelSerializer):
    current_version = serializers.SerializerMethodField()
    copy_of = ScopedRelatedField(queryset=Policy.objects.all(), write_only=True,
                                 help_text=_("A new policy starts as a copy of this one (usually a preset)."))
    jurisdiction = ScopedRelatedField(queryset=Policy.objects.none(), area="policies", action="add",
                                      allow_null=True)  # null on the presets; a new policy names its node

    class Meta:
        model = Policy
        fields = ["id", "code", "name", "description", "jurisdiction", "is_preset", "current_version", "copy_of"]

    def validate_jurisdiction(self, value):
        if value is None:
            raise serializers.ValidationError(self.fields["jurisdiction"].error_messages["null"], code="null")
        return value

    def get_current_version(self, obj) -> int | None:
        version = obj.current_version()
        return version.number if version else None


class NodePolicySerializer(ScopedModelSerializer):
    class Meta:
        model = NodePolicy
        fields = ["id", "jurisdiction", "policy", "priority"]


class EffectiveSectionSerializer(serializers.Serializer):
    section = serializers.CharField()
    value = serializers.JSONField()
    policy = serializers.CharField(source="version.policy.code")
    version = serializers.IntegerField(source="version.number")
    version_id = serializers.IntegerField(source="version.pk")
    node = serializers.IntegerField(source="node.pk")
    inherited = serializers.BooleanField()


class EffectivePolicySerializer(serializers.Serializer):
    node = serializers.IntegerField()
    sections = EffectiveSectionSerializer(many=True)
