"""Done-when: the coverage check lists the demo key places that lie on fewer than two routes."""

from django.core.management import call_command
from django.http import HttpRequest

from shouwang.core.models import Jurisdiction
from shouwang.patrols.models import Checkpoint
from shouwang.patrols.queries import coverage
from shouwang.registers.models import KeyPlace


def test_demo_coverage_gaps(db, client):
    call_command("load_demo")
    street = Jurisdiction.objects.get(code="QL-WC")
    result = coverage(street)
    few = {p.name: n for p, n in result.few_routes}
    routes = {p.name: Checkpoint.objects.filter(key_place=p).values("route").distinct().count()
              for p in KeyPlace.objects.filter(jurisdiction__path__startswith=street.path)}
    assert few == {name: n for name, n in routes.items() if n < 2}
    assert few["望川医院"] == 0 and few["望川中学"] == 1
    assert "柳岸小学" not in few  # on the school-gate route and the day route
    # The substation has its night window; the water pumping station has no patrol at all.
    night_gaps = {p.name for p in result.no_night}
    assert "枫林110千伏变电站" not in night_gaps and "望川自来水泵站" in night_gaps
    client.login(request=HttpRequest(), username="office", password="shouwang-demo")
    page = client.get(f"/patrols/coverage/?node={street.pk}").content.decode()
    assert "望川医院" in page.split('id="few-routes"')[1].split("</ul>")[0]
