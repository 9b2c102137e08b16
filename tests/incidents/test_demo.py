from shouwang.core import demo as core_demo
from shouwang.incidents import demo, services
from shouwang.incidents.models import Incident
from shouwang.policies import demo as policies_demo


def test_demo_has_past_and_open_incidents_with_clocks_and_loads_once(db):
    core_demo.load(out=lambda *_: None)
    policies_demo.load(out=lambda *_: None)
    demo.load(out=lambda *_: None)
    demo.load(out=lambda *_: None)
    closed = Incident.objects.filter(status="closed")
    open_ = Incident.objects.filter(status="open")
    assert closed.count() == 2 and all(hasattr(i, "review") for i in closed)
    assert open_.count() == 3
    assert all(i.number.startswith("QL-WC-") for i in Incident.objects.all())
    pending = [o for i in open_ for o in services.obligations_of(i) if not o.met_at and not o.waived_at]
    assert len(pending) >= 3
    market = Incident.objects.get(title="柳岸农贸市场持刀伤人")
    assert {o.kind for o in services.failing_obligations(market)} == {"incidents.written_report",
                                                                       "incidents.responder_on_scene"}
