import uuid

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from shouwang.core.idempotency import replay

from .. import queries, services
from ..filtersets import DailyReportFilterSet
from ..models import DailyReport
from .serializers import DailyReportSerializer


class DailyReportViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         viewsets.GenericViewSet):
    """Scheduled daily reports. Create with a `client_uuid`: sending it again returns the first (200).

    Reports are not changed after submission, so there is no update or delete.
    """

    queryset = DailyReport.objects.all()
    serializer_class = DailyReportSerializer
    filterset_class = DailyReportFilterSet

    def get_queryset(self):
        return DailyReport.objects.restrict(self.request.user, "view").select_related("jurisdiction")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:  # the page's states in one query
            self._states = queries.states_of(page)
        return page

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        if getattr(self, "_states", None) is not None:
            ctx["states"] = self._states
        return ctx

    @extend_schema(responses={201: DailyReportSerializer, 200: OpenApiResponse(DailyReportSerializer, "Already submitted with this client_uuid")})
    def create(self, request, *args, **kwargs):
        client_uuid = request.data.get("client_uuid") if hasattr(request.data, "get") else None
        if client_uuid:
            existing = replay(DailyReport, request.user, client_uuid=client_uuid) if _is_uuid(client_uuid) else None
            if existing is not None:
                return Response(self.get_serializer(existing).data, status=status.HTTP_200_OK)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        report, created = services.submit_report(
            jurisdiction=data.pop("jurisdiction"), date=data.pop("date"), slot=data.pop("slot"),
            client_uuid=data.pop("client_uuid", None), user=request.user, **data,
        )
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _is_uuid(value):

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
