"""Incidents: the case, its reports, responders, command handovers, activity log, tasks, review, alerts.

Principle 1: an incident keeps counts of casualties and the reporter's contact — nothing
more about bystanders.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import ScopedModel
from shouwang.core.models.org import validate_lat, validate_lon
from shouwang.core.scope import ScopedManager
from shouwang.core.validators import head_count, validate_phone

from .choices import (
    CATEGORY_MAP,
    LEVEL_COLOUR,
    LEVEL_HEX,
    Addressee,
    CapType,
    Category,
    Channel,
    IncidentClass,
    IncidentLevel,
    LogKind,
    Means,
    Phase,
    ReportKind,
    Status,
)
from .querysets import IncidentQuerySet

# beyond these a figure is a slipped key, not an incident a street office reports
CASUALTIES_MAX = 10000
PEOPLE_MAX = 200000
VEHICLES_MAX = 10000


class IncidentCounter(models.Model):
    """The last incident number handed out per street and year (row-locked while allocating)."""

    prefix = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="incident_counter_unique")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class IncidentScoped(ScopedModel):
    permission_area = "incidents"

    class Meta:
        abstract = True


class Incident(IncidentScoped):
    idempotency_owner = "created_by"  # who sent it: a retry with its client key is only theirs
    # who may open it through a duty on it, without a role on its node (core.scope)
    duty_lookups = ("responders__person__user", "tasks__person__user")

    number = models.CharField(_("number"), max_length=40, unique=True, editable=False)
    title = models.CharField(_("incident summary"), max_length=200)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    incident_class = models.CharField(_("class"), max_length=16, choices=IncidentClass.choices, editable=False)
    level = models.CharField(_("incident level"), max_length=3, choices=IncidentLevel.choices)
    major = models.BooleanField(
        _("major emergency"), default=False,
        help_text=_("One of the six kinds of major emergency (phone report within 40 minutes in preset B)."),
    )
    # Set from the policy's kinds of major emergency (or chosen by the office); says why it is major.
    major_kind = models.CharField(_("kind of major emergency"), max_length=40, blank=True)
    major_basis = models.CharField(_("why it is major"), max_length=200, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN, editable=False)
    channel = models.CharField(_("intake channel"), max_length=16, choices=Channel.choices, default=Channel.PHONE)
    description = models.TextField(_("details"), blank=True)
    # Place
    address = models.CharField(_("where"), max_length=200)
    building = models.CharField(_("building"), max_length=60, blank=True)
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    room = models.CharField(_("room"), max_length=20, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=[validate_lat])
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=[validate_lon])
    unit = models.ForeignKey("core.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="incidents",
                             verbose_name=_("key unit"))
    key_place = models.ForeignKey("registers.KeyPlace", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="incidents", verbose_name=_("key place"))
    # Times
    happened_at = models.DateTimeField(_("happened at"), null=True, blank=True)
    discovered_at = models.DateTimeField(_("discovered at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))
    # Reporter: contact only.
    reporter_name = models.CharField(_("reporter"), max_length=60, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True,
                                      validators=[validate_phone])
    client_uuid = models.UUIDField(_("client UUID"), null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("created by"))
    # The incident_clocks version the case started with (frozen, policy as data).
    policy_version = models.ForeignKey("policies.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", editable=False, verbose_name=_("policy version"))
    # Activation (there is no plans app yet: the plan is named and described here).
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True, editable=False)
    activated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", editable=False, verbose_name=_("activated by"))
    plan_name = models.CharField(_("plan"), max_length=200, blank=True, editable=False)
    plan_text = models.TextField(_("plan notes"), blank=True, editable=False)
    lead_group = models.ForeignKey("core.Group", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="led_incidents", editable=False, verbose_name=_("lead working group"))
    # Command
    phase = models.CharField(_("command phase"), max_length=16, choices=Phase.choices, default=Phase.INITIAL,
                             editable=False)
    commander = models.CharField(_("commander"), max_length=100, blank=True)
    headquarters = models.BooleanField(_("on-scene headquarters set up"), default=False, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    # The plan version activated (its checklist became the tasks); `plan_name` keeps its name as it was.
    plan_version = models.ForeignKey("plans.PlanVersion", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="incidents", editable=False, verbose_name=_("plan version"))
    # An exercise incident opened by a drill: the same intake, clocks and activation, counted nowhere real.
    drill = models.ForeignKey("plans.Drill", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="exercise_incidents", editable=False, verbose_name=_("drill"))

    objects = ScopedManager.from_queryset(IncidentQuerySet)()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["status", "received_at"], name="incident_status_idx")]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("incidents:incident_detail", args=[self.pk])

    @property
    def is_drill(self):
        """An exercise incident of a drill (its duties are the drill's: obligations.open_obligation)."""
        return self.drill_id is not None

    @property
    def colour(self):
        return LEVEL_COLOUR.get(self.level, "")

    @property
    def colour_hex(self):
        return LEVEL_HEX.get(self.level, "#777")

    @property
    def is_major(self):
        return self.major or bool(self.major_kind) or self.level in ("I", "II")

    @property
    def major_reasons(self):
        """Why the incident counts as major, in words (empty when it does not)."""
        reasons = []
        if self.major_basis:
            reasons.append(self.major_basis)
        if self.major and not self.major_basis:
            reasons.append(str(_("marked major by the office")))
        if self.level in ("I", "II"):
            reasons.append(str(_("level %(level)s") % {"level": self.get_level_display()}))
        return reasons

    @property
    def working_kind(self):
        return CATEGORY_MAP[self.category][1] if self.category in CATEGORY_MAP else ""

    @property
    def place(self):
        return " ".join(p for p in [self.address, self.building, self.floor, self.room] if p)

    def save(self, *args, **kwargs):
        if self.category in CATEGORY_MAP:  # the class always follows the working category
            self.incident_class = CATEGORY_MAP[self.category][0]
        super().save(*args, **kwargs)

    def clean(self):
        if self.category and self.category not in Category.values:
            raise ValidationError({"category": _("Unknown category.")})
        if self.category:
            self.incident_class = CATEGORY_MAP[self.category][0]
        if (self.lat is None) != (self.lon is None):
            raise ValidationError({"lon": _("Give both latitude and longitude, or neither.")})
        if self.happened_at and self.received_at and self.happened_at > self.received_at:
            raise ValidationError({"happened_at": _("It cannot have happened after it was received.")})
        if self.discovered_at and self.received_at and self.discovered_at > self.received_at:
            raise ValidationError({"discovered_at": _("It cannot have been discovered after it was received.")})
        if self.happened_at and self.discovered_at and self.happened_at > self.discovered_at:
            raise ValidationError({"discovered_at": _("It cannot have been discovered before it happened.")})


ELEMENTS = [
    # (key, label): the nine core elements of an incident report.
    ("time", _("time")),
    ("place", _("place")),
    ("scale", _("scale")),
    ("casualties", _("casualties")),
    ("cause", _("cause")),
    ("assessment", _("assessment")),
    ("measures", _("measures taken")),
    ("progress", _("progress")),
    ("other", _("other")),
]


class Report(IncidentScoped):
    """One report up the chain. Never edited after submission; a later report follows it."""
    idempotency_owner = "submitted_by"  # who sent it: a retry with its client key is only theirs

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="reports", verbose_name=_("incident"))
    kind = models.CharField(_("report"), max_length=16, choices=ReportKind.choices)
    means = models.CharField(_("by"), max_length=16, choices=Means.choices)
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = models.CharField(_("reported by"), max_length=100)
    reported_to = models.CharField(_("reported to"), max_length=100)
    addressee = models.CharField(_("addressee"), max_length=20, choices=Addressee.choices, blank=True)
    # The policy clocks (rule names) this report answers: chosen when it is filed, kept as evidence.
    answers = models.JSONField(_("answers the clocks"), default=list, blank=True)
    # A correction is a new report that supersedes the earlier one; nothing is edited.
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by", verbose_name=_("corrects"))
    correction_reason = models.CharField(_("reason for the correction"), max_length=200, blank=True)
    issuer = models.CharField(_("issued by"), max_length=60, blank=True, help_text=_("Who signs off a written report."))
    content = models.TextField(_("content"), blank=True)
    # The nine elements.
    event_time = models.DateTimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    scale = models.TextField(_("scale"), blank=True)
    dead = models.PositiveIntegerField(_("dead"), null=True, blank=True, validators=[head_count(CASUALTIES_MAX)])
    seriously_injured = models.PositiveIntegerField(_("seriously injured"), null=True, blank=True, validators=[head_count(CASUALTIES_MAX)])
    lightly_injured = models.PositiveIntegerField(_("lightly injured"), null=True, blank=True, validators=[head_count(CASUALTIES_MAX)])
    cause = models.TextField(_("cause"), blank=True)
    assessment = models.TextField(_("assessment"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    progress = models.TextField(_("progress"), blank=True)
    other = models.TextField(_("other"), blank=True)
    client_uuid = models.UUIDField(_("client UUID"), null=True, blank=True, unique=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    class Meta:
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        ordering = ["reported_at", "pk"]

    def __str__(self):
        return f"{self.incident.number} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("incidents:report_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.pop("allow_edit", False):
            raise ValidationError(_("A submitted report cannot be edited; submit a follow-up report instead."))
        super().save(*args, **kwargs)

    def has_element(self, key):
        if key == "time":
            return self.event_time is not None
        if key == "casualties":
            return None not in (self.dead, self.seriously_injured, self.lightly_injured)
        return bool(str(getattr(self, key) or "").strip())

    @property
    def missing_keys(self):
        return [key for key, _label in ELEMENTS if not self.has_element(key)]

    @property
    def missing_elements(self):
        return [label for key, label in ELEMENTS if not self.has_element(key)]

    @property
    def completeness(self):
        """Share of the nine elements present, as a whole percentage."""
        return round(100 * sum(self.has_element(k) for k, _label in ELEMENTS) / len(ELEMENTS))


class Responder(IncidentScoped):
    """A person required on scene after activation; arrival meets their obligation."""

    duty_lookups = ("person__user",)

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="responders", verbose_name=_("incident"))
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    due_at = models.DateTimeField(_("due on scene"))
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("responder")
        verbose_name_plural = _("responders")
        ordering = ["due_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["incident", "person"], name="responder_unique_person")]

    def __str__(self):
        return str(self.person)

    def get_absolute_url(self):
        return self.incident.get_absolute_url()


class Handover(IncidentScoped):
    """Command passes from initial response to on-scene command."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="handovers", verbose_name=_("incident"))
    from_commander = models.CharField(_("handed over by"), max_length=100)
    to_commander = models.CharField(_("handed over to"), max_length=100)
    at = models.DateTimeField(_("when"))
    situation = models.TextField(_("situation at handover"))
    headquarters = models.BooleanField(_("on-scene headquarters set up"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("command handover")
        verbose_name_plural = _("command handovers")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_commander} → {self.to_commander}"

    def get_absolute_url(self):
        return self.incident.get_absolute_url()


class LogEntry(IncidentScoped):
    """Who did what, when."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="log", verbose_name=_("incident"))
    at = models.DateTimeField(_("when"))
    kind = models.CharField(_("kind"), max_length=16, choices=LogKind.choices, default=LogKind.MESSAGE)
    text = models.TextField(_("what"))
    point = models.CharField(_("evacuation or diversion point"), max_length=100, blank=True)
    people = models.PositiveIntegerField(_("number of people"), null=True, blank=True,
                                         validators=[head_count(PEOPLE_MAX)])
    vehicles = models.PositiveIntegerField(_("vehicles"), null=True, blank=True,
                                           validators=[head_count(VEHICLES_MAX)])
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("by"))

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("activity log")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        return self.incident.get_absolute_url()


class Task(IncidentScoped):
    duty_lookups = ("person__user",)

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("incident"))
    title = models.CharField(_("task"), max_length=200)
    group = models.ForeignKey("core.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("group"))
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("person"))
    due_at = models.DateTimeField(_("due at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_at", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.incident.get_absolute_url()

    def clean(self):
        if not self.group_id and not self.person_id:
            raise ValidationError({"person": _("Assign the task to a group or a person.")})


class Review(IncidentScoped):
    """After-action review; its actions become obligations."""

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="review", verbose_name=_("incident"))
    what_happened = models.TextField(_("what happened"))
    what_worked = models.TextField(_("what worked"))
    what_did_not = models.TextField(_("what did not work"))
    reviewed_at = models.DateTimeField(_("reviewed at"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("after-action review")
        verbose_name_plural = _("after-action reviews")

    def __str__(self):
        return str(self.incident)

    def get_absolute_url(self):
        return self.incident.get_absolute_url()


class ReviewAction(IncidentScoped):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions", verbose_name=_("review"))
    text = models.CharField(_("follow-up action"), max_length=200)
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("responsible person"))
    due_at = models.DateTimeField(_("due at"))

    class Meta:
        verbose_name = _("review action")
        verbose_name_plural = _("review actions")
        ordering = ["due_at", "pk"]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return self.review.incident.get_absolute_url()


class CapMessage(IncidentScoped):
    """An issued OASIS CAP 1.2 public alert, kept as sent."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="cap_messages",
                                 verbose_name=_("incident"))
    identifier = models.CharField(_("identifier"), max_length=120, unique=True)
    msg_type = models.CharField(_("message type"), max_length=8, choices=CapType.choices)
    sent = models.DateTimeField(_("sent at"))
    headline = models.CharField(_("headline"), max_length=160)
    xml = models.TextField(_("XML"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")

    class Meta:
        verbose_name = _("public alert")
        verbose_name_plural = _("public alerts")
        ordering = ["sent", "pk"]

    def __str__(self):
        return self.identifier

    def get_absolute_url(self):
        return reverse("incidents:cap_xml", args=[self.pk])
