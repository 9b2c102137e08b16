from datetime import timedelta

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from shouwang.core.scope import can_at, nodes_where

from .. import queries
from .serializers import AuditQuerySerializer, AuditReportSerializer


class AuditViewSet(viewsets.ViewSet):
    """The accountability audit: late, missed and waived obligations of a node's subtree in a period."""

    permission_area = "audit"

    @extend_schema(parameters=[AuditQuerySerializer], responses=AuditReportSerializer)
    def list(self, request):
        query = AuditQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        node = data.get("node") or nodes_where(request.user, "audit", "view").order_by("depth", "path").first()
        if node is None or not can_at(request.user, "audit", "view", node.path):
            raise NotFound(_("No such node in your jurisdiction."))
        since, until = queries.default_period()
        until = data.get("until") or until
        since = data.get("since") or until - timedelta(days=queries.DEFAULT_DAYS - 1)
        if since > until:
            raise ValidationError({"until": [_("The end of the period is before its start.")]})
        report = queries.build(node, since, until, kind=data.get("kind") or None, finding=data.get("state") or None,
                                user=request.user)
        return Response(AuditReportSerializer(report.as_dict()).data)
