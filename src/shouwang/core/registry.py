"""The registries through which apps plug into each other without importing each other.

Each app fills them in its AppConfig.ready(); readers (the board, the audit, the ledger, the
risk colours, the shell, the home page) read them. Core defines them all here, once:

- `KINDS`          obligation kind -> human label (`obligations.kinds.label`)
- `JOBS`           periodic job name -> Job (`core.scheduler.register`)
- `BADGES`         navigation badge -> callable(user) -> int
- `RISK_SIGNALS`   name -> callable(place, day) -> [(colour, reason)] (registers' suggested colour)
- `LEDGER_FIGURES` key -> (label, callable(node) -> number) (the comprehensive ledger)
- `TILES`          key -> callable(home) -> Tile | None (home page tiles; `home` is a
                   `core.home.Home`: the request, the user's roles, now and today)
- `SEARCH`         key -> (label, order, callable(user, q, limit) -> [core.search.Hit]) (global search)
- `POLICY_TERMS`   policy field -> {code: label} (the codes an app reads from the policy, e.g.
                   whom a report goes to; `policies.labels` shows the policy in these words)
- `RULE_LABELS`    obligation rule -> human label, for rules that are not labelled in the policy
                   data itself (`policies.services.rule_label`)
- `EXERCISES`      key -> callable(drill) -> dict | None: what the floor above keeps of a drill's run
                   (its exercise incident: number, title, url, clocks), read by the drill's pages
- `PLAN_RESOURCES` key -> (label, callable(plan version) -> [str]): resources a plan version needs as
                   another app knows them (the resources app's supplies); shown on the plan's page
"""


class Registry(dict):
    """A name -> entry mapping; registering a name again replaces the entry (idempotent ready())."""

    def register(self, name, entry):
        self[name] = entry
        return entry


KINDS = Registry()
JOBS = Registry()
BADGES = Registry()
RISK_SIGNALS = Registry()
LEDGER_FIGURES = Registry()
TILES = Registry()
RULE_LABELS = Registry()
POLICY_TERMS = Registry()
SEARCH = Registry()
EXERCISES = Registry()
PLAN_RESOURCES = Registry()
