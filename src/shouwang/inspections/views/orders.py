"""Pages: orders."""

urlpatterns = []
