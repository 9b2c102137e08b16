"""The comprehensive ledger page and its Word document."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.documents import docx_response
from shouwang.core.models import Jurisdiction

from .. import ledger as ledger_data


class NodeForm(forms.Form):
    node = forms.ModelChoiceField(queryset=Jurisdiction.objects.none(), label=_("node"))


def _node(request):
    nodes = Jurisdiction.objects.restrict(request.user, "view")
    form = NodeForm(request.GET or None)
    form.fields["node"].queryset = nodes
    if form.is_bound:
        if not form.is_valid():
            raise Http404
        return form, form.cleaned_data["node"]
    node = nodes.order_by("depth", "path").first()
    form.initial["node"] = node.pk if node else None
    return form, node


@login_required
def ledger(request):
    form, node = _node(request)
    ctx = {"form": form, "node": node, "today": timezone.localdate()}
    if node is not None:
        ctx["titles"], ctx["rows"], ctx["total"] = ledger_data.table(node)
    return render(request, "registers/ledger.html", ctx)


@login_required
def ledger_docx(request):
    _form, node = _node(request)
    if node is None:
        raise Http404
    return docx_response(ledger_data.docx_bytes(node), f"综合防控台账-{node.name}")
