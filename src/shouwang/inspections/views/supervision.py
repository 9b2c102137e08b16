"""Pages: supervision."""

urlpatterns = []
