"""Pages of schools under /schools/ (the phone page under /schools/m/)."""

from . import phone
from .views import gate, logs, schools

app_name = "schools"

urlpatterns = [*schools.urlpatterns, *gate.urlpatterns, *logs.urlpatterns, *phone.urlpatterns]
