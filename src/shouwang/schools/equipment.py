"""Equipment issued to a school's guards, from the resources app (issue 16).

The hook: while the resources app is not installed (it is being built on its own branch), the
equipment is not known and `issued` answers None; the staffing page says so. Once resources is
in, `issued` reads its open equipment issues (no import: schools reads resources through the app
registry until the two branches meet)."""

from django.apps import apps


def issued(person_ids):
    """{person id: pieces of equipment issued and not returned}, or None when not known."""
    if not apps.is_installed("shouwang.resources"):
        return None
    issue = apps.get_model("resources", "EquipmentIssue")
    rows = issue.objects.filter(person_id__in=list(person_ids), returned_at__isnull=True).values_list("person_id")
    out = {}
    for (pid,) in rows:
        out[pid] = out.get(pid, 0) + 1
    return out
