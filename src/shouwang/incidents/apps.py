from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "shouwang.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from shouwang.patrols.signals import sighting_reported
        from shouwang.registers.risk_signals import register_risk_signal
        from shouwang.registers.signals import hazardous_loss_recorded

        from .receivers import hazardous_loss, incident_sighting, recent_incident_risk

        hazardous_loss_recorded.connect(hazardous_loss, dispatch_uid="incidents_hazardous_loss")
        sighting_reported.connect(incident_sighting, dispatch_uid="incidents_sighting")
        register_risk_signal("recent_incident", recent_incident_risk)

        from shouwang.core.registry import RULE_LABELS, TILES
        from shouwang.obligations import kinds

        from . import choices as c
        from . import tiles

        TILES.register("incidents.open", tiles.open_incidents)
        from shouwang.core.registry import SEARCH

        from .queries import search_incidents

        SEARCH.register("incidents", (_("Incidents"), 10, search_incidents))
        from shouwang.core.registry import POLICY_TERMS

        for name, choices in (("to", c.Addressee), ("responsible", c.ClockRole), ("report_kinds", c.Means),
                              ("categories", c.Category), ("classes", c.IncidentClass)):
            POLICY_TERMS.register(name, {choice.value: choice.label for choice in choices})
        POLICY_TERMS.register("from", {"received": _("receipt of the report"),
                                       "activated": _("activation of the response")})
        TILES.register("incidents.mine", tiles.my_reports)

        # A drill's run (plans, a floor below, sends it by signal): the exercise incident (drills.py).
        from shouwang.core.registry import EXERCISES
        from shouwang.plans import signals as drill_signals

        from . import drills

        drill_signals.drill_started.connect(drills.open_exercise, dispatch_uid="incidents_drill_started")
        drill_signals.inject_delivered.connect(drills.inject_logged, dispatch_uid="incidents_drill_inject")
        drill_signals.action_logged.connect(drills.action_logged, dispatch_uid="incidents_drill_action")
        drill_signals.evacuation_timed.connect(drills.evacuation_timed, dispatch_uid="incidents_drill_evacuation")
        drill_signals.drill_ended.connect(drills.close_exercise, dispatch_uid="incidents_drill_ended")
        EXERCISES.register("incidents", drills.exercise_facts)

        RULE_LABELS.register("responders_on_scene", _("responders on scene within the time of the activation"))
        for kind, label in [
            (c.KIND_FIRST_REPORT, _("incident first report")), (c.KIND_WRITTEN_REPORT, _("incident written report")),
            (c.KIND_RESPONDER_ON_SCENE, _("responder on scene")), (c.KIND_TASK, _("incident task")),
            (c.KIND_REVIEW_ACTION, _("after-action review action")),
        ]:
            kinds.register(kind, label)
