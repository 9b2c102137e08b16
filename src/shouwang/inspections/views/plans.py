"""Pages: plans."""

urlpatterns = []
