"""The page of the header's search box."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..search import search


@login_required
def search_page(request):
    q = (request.GET.get("q") or "").strip()[:100]
    return render(request, "core/search.html", {"q": q, "groups": search(request.user, q)})
