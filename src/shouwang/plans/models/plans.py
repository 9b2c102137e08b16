"""Emergency plans (预案): versioned playbooks per working category and level range.

A version is drafted, then approved (who, when); an approved version never changes: the next
revision is a new version. The plan's `current` is its approved version in force.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.choices import PersonKind, Position, Role, WorkingKind
from shouwang.core.models import ScopedModel
from shouwang.core.names import user_display
from shouwang.core.registry import POLICY_TERMS

from ..choices import LEVEL_ORDER, Level, ReviewConclusion, VersionState

USER_FIELDS = {"started_by", "ended_by", "approved_by", "created_by", "recorded_by", "done_by", "handled_by",
               "reported_by", "verified_by", "signed_by", "taken_by", "evaluator"}


class PlansScoped(ScopedModel):
    permission_area = "plans"

    class Meta:
        abstract = True

    @staticmethod
    def changelog_value(name, value):
        """The history in people's words: an account by its person's name, incident categories and
        posts by their labels, supplies as written."""
        if value in (None, "", []):
            return None
        if name in USER_FIELDS:
            user = get_user_model().objects.filter(pk=value).select_related("person").first()
            return user_display(user) if user is not None else None
        if name in ("category", "categories"):
            terms = POLICY_TERMS.get("categories") or {}
            codes = value if isinstance(value, list) else [value]
            return "、".join(str(terms.get(code, code)) for code in codes)
        if name == "posts" and isinstance(value, list):
            return "、".join(str(PersonKind(code).label) if code in PersonKind.values else code for code in value)
        if name == "clocks" and isinstance(value, list):
            return "；".join(f"{c.get('label', '')}：{c.get('state_label', '')}" for c in value if isinstance(c, dict))
        if name == "supplies" and isinstance(value, list):
            return "、".join(f"{s.get('name', '')} {s.get('quantity') or ''}{s.get('unit', '')}".strip()
                            for s in value if isinstance(s, dict))
        return None


class Plan(PlansScoped):
    title = models.CharField(_("title"), max_length=200)
    working_kind = models.CharField(_("working category"), max_length=32, choices=WorkingKind.choices)
    current = models.ForeignKey("plans.PlanVersion", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", editable=False, verbose_name=_("version in force"))
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("emergency plan")
        verbose_name_plural = _("emergency plans")
        ordering = ["title", "pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "title"], name="plan_unique_title_per_node")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan_detail", args=[self.pk])


class PlanVersion(PlansScoped):
    """One version of a plan: what it covers, who activates it, who leads, its checklist, its
    contacts and the resources it needs. Approved, it is frozen."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan"))
    number = models.PositiveSmallIntegerField(_("version"), editable=False)
    state = models.CharField(_("state"), max_length=8, choices=VersionState.choices, default=VersionState.DRAFT,
                             editable=False)
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"), blank=True, help_text=_("Which events and places the plan covers."))
    categories = models.JSONField(_("incident categories"), default=list, blank=True,
                                  help_text=_("Empty: every category of its working category."))
    level_min = models.CharField(_("from level"), max_length=3, choices=Level.choices, default=Level.IV)
    level_max = models.CharField(_("up to level"), max_length=3, choices=Level.choices, default=Level.I)
    activation_role = models.CharField(_("who activates it"), max_length=16, choices=Role.choices,
                                       default=Role.LEADER)
    lead_group = models.ForeignKey("core.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("lead working group"))
    contacts = models.ManyToManyField("core.Contact", blank=True, related_name="+", verbose_name=_("contacts"))
    teams = models.ManyToManyField("core.Team", blank=True, related_name="+", verbose_name=_("teams"))
    # Supplies by name and quantity until the resources app links them (core.registry.PLAN_RESOURCES).
    supplies = models.JSONField(_("supplies needed"), default=list, blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False, verbose_name=_("approved by"))
    approver = models.CharField(_("approver"), max_length=60, blank=True, editable=False,
                                help_text=_("Who signed the approval."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("created by"))

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number")]

    def __str__(self):
        return f"{self.title} v{self.number}"

    def get_absolute_url(self):
        return reverse("plans:plan_detail", args=[self.plan_id]) + f"?version={self.number}"

    @property
    def is_approved(self):
        return self.state == VersionState.APPROVED

    def covers_level(self, level) -> bool:
        if level not in LEVEL_ORDER:
            return False
        rank = LEVEL_ORDER.index(level)
        return LEVEL_ORDER.index(self.level_max) <= rank <= LEVEL_ORDER.index(self.level_min)

    def levels_text(self):
        if self.level_min == self.level_max:
            return self.get_level_min_display()
        return f"{self.get_level_max_display()} — {self.get_level_min_display()}"

    def clean(self):
        if self.level_min in LEVEL_ORDER and self.level_max in LEVEL_ORDER and \
                LEVEL_ORDER.index(self.level_max) > LEVEL_ORDER.index(self.level_min):
            raise ValidationError({"level_max": _("The highest level must be at least as severe as the lowest.")})

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.pop("allow_approved", False):
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored == VersionState.APPROVED:
                raise ValidationError(_("An approved version never changes; draft the next version instead."))
        super().save(*args, **kwargs)


class PlanAction(PlansScoped):
    """One line of a version's checklist: what, who (a group, a position in it), by when after activation."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="actions",
                                verbose_name=_("plan version"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("action to take"), max_length=200)
    group = models.ForeignKey("core.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("responsible group"),
                              help_text=_("Empty: the plan's lead working group."))
    position = models.CharField(_("responsible position"), max_length=16, choices=Position.choices,
                                default=Position.LEADER)
    offset_minutes = models.PositiveIntegerField(_("within minutes of activation"))

    class Meta:
        verbose_name = _("checklist action")
        verbose_name_plural = _("checklist actions")
        ordering = ["version", "order", "pk"]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return self.version.get_absolute_url()

    def line(self):
        """The action as one comparable line (for the diff between versions)."""
        who = self.group.name if self.group_id else str(_("lead group"))
        return f"+{self.offset_minutes}′ {self.text} · {who} · {self.get_position_display()}"


class PlanReview(PlansScoped):
    """An expert review of a plan (专家评审): who reviewed, when, and whether it is still fit."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("plan"))
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="reviews",
                                verbose_name=_("version reviewed"))
    reviewed_on = models.DateField(_("reviewed on"))
    experts = models.CharField(_("experts"), max_length=300)
    conclusion = models.CharField(_("conclusion"), max_length=8, choices=ReviewConclusion.choices)
    opinion = models.TextField(_("opinion"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False, verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"{self.plan} · {self.reviewed_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return self.plan.get_absolute_url()
