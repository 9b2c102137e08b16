"""Equipment issued to a school's guards, from the resources app (issue 16).

Resources is installed: `issued` reads its equipment issued to a person and not yet returned
(EquipmentIssue). Were it left out of INSTALLED_APPS, the equipment is not known, `issued`
answers None and the staffing page says so."""

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
