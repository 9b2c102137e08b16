from . import views


def register(router):
    """Register this app's viewsets on the project router."""
    views.register(router)
