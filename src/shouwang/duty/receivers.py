"""What duty answers through core's registries: who is on duty now for a node (the contact
directory shows them first; core cannot import duty)."""

from shouwang.core.registry import OnDuty

from . import queries


def on_duty_entries(node, now):
    return [OnDuty(post=a.get_post_display(), name=a.person.name, phone=a.person.phone, until=a.ends_at,
                   where=f"{a.roster.name}（{a.jurisdiction.name}）")
            for a in queries.on_duty_for(node, now)]
