"""The words offices write for a category in their sheets (自来水 for water supply, 天然气 for gas
supply): a table the office edits, read by every import. One table for the whole district."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from shouwang.core.scope import can
from shouwang.core.sheets import header_key

from ..choices import Category


def may_import(user) -> bool:
    """Who may import key places, and so edit the words the import reads: anyone who may add or
    change key places somewhere."""
    return can(user, "registers", "add") or can(user, "registers", "change")


def built_in_words(choices=Category.choices) -> dict:
    """Each choice's code and its name in English and Chinese (normalised) -> its code."""
    table = {}
    for code, label in choices:
        table[header_key(code)] = code
        table[header_key(str(label))] = code
        with override("zh-hans"):
            table[header_key(str(label))] = code
    return table


class CategoryWordQuerySet(models.QuerySet):
    def restrict(self, user, action="view"):
        """The table is the district's: read by whoever may read key places, written by those who
        may import them."""
        allowed = can(user, "registers", "view") if action == "view" else may_import(user)
        return self if allowed else self.none()


class CategoryWord(models.Model):
    permission_area = "registers"  # its writes are in the change log, like the registers'
    changelog_exclude = ("key",)  # the word itself says it

    word = models.CharField(_("word"), max_length=40,
                            help_text=_("As offices write it in the category column, e.g. 自来水."))
    key = models.CharField(max_length=80, unique=True, editable=False)  # the word as the import compares it
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CategoryWordQuerySet.as_manager()

    class Meta:
        verbose_name = _("category word")
        verbose_name_plural = _("category words")
        ordering = ["category", "word", "pk"]

    def __str__(self):
        return f"{self.word} → {self.get_category_display()}"

    def get_absolute_url(self):
        return reverse("registers:categoryword_edit", args=[self.pk])

    def clean(self):
        super().clean()
        self.key = header_key(self.word)
        if not self.key:
            raise ValidationError({"word": _("Write the word as it appears in the sheets.")})
        same = CategoryWord.objects.filter(key=self.key).exclude(pk=self.pk).first()
        if same is not None:
            raise ValidationError({"word": _("The word “%(word)s” is already in the table (read as “%(category)s”); edit "
                                             "that entry instead.") % {"word": same.word,
                                                                       "category": same.get_category_display()}})
        named = built_in_words().get(self.key)
        if named is not None and self.category and named != self.category:
            raise ValidationError({"word": _("“%(word)s” is the name of the category “%(category)s”.")
                                   % {"word": self.word, "category": Category(named).label}})

    def save(self, *args, **kwargs):
        self.key = header_key(self.word)
        super().save(*args, **kwargs)
