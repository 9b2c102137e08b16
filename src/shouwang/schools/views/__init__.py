"""Pages of schools, one module per family (each exports its urlpatterns)."""
