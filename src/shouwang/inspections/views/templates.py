"""Pages: templates."""

urlpatterns = []
