"""Pages: inspections."""

urlpatterns = []
