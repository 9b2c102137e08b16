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
- `BRIEFING_SECTIONS` key -> `BriefingSection` (below): a part of the office's briefings (简报),
                   shown when the app that registers it is installed; `briefings` assembles them
- `EXERCISES`      key -> callable(drill) -> dict | None: what the floor above keeps of a drill's run
                   (its exercise incident: number, title, url, clocks), read by the drill's pages
- `PLAN_RESOURCES` key -> (label, callable(plan version) -> [str]): resources a plan version needs as
                   another app knows them (the resources app's supplies); shown on the plan's page
"""

from typing import NamedTuple


class Registry(dict):
    """A name -> entry mapping; registering a name again replaces the entry (idempotent ready())."""

    def register(self, name, entry):
        self[name] = entry
        return entry


class BriefingSection(NamedTuple):
    """An entry of `BRIEFING_SECTIONS`, registered by the app whose data it sums up (its apps.py):

        BRIEFING_SECTIONS.register("duty", BriefingSection(_("Duty and posture"), 60, briefing.section))

    `build(period)` returns the section's part, or None when it has nothing to say for the period.
    `period` (made by `briefings`) has: `node` (the issuing node; figures cover its subtree),
    `start`, `end` (local dates, both included), `days` (the dates), `as_of` (the data time),
    `children` (the node's child nodes), `counts(*kinds)` -> {kind: n} over the period from the
    daily rollups (obligation kinds give "<kind>:<state>" with state due, met, met_late, missed,
    waived), `per_day(*kinds)` -> {kind: [n per day]}, `per_child(*kinds)` -> {child id: {kind: n}},
    and `link(url_name, **params)` -> the URL of the list behind a figure (the period's dates and
    the node added as that list's filters understand them: `node`, `period_after`/`period_before`).

    The part is plain JSON, frozen in the briefing when it is made (every figure reproducible):

        {"text": ["本期共接报突发事件5起，其中较大1起……", ...],           # Chinese sentences
         "tables": [{"title": "...", "header": ["...", ...],
                     "rows": [["柳岸社区", 3, {"text": 1, "url": "/obligations/board/?..."}], ...]}],
         "charts": [{"title": "...", "kind": "bar" | "line" | "hbar" | "pie", "labels": [...],
                     "series": [{"name": "...", "data": [...], "state": "met"}], "stacked": False}]}

    A table cell is a value or {"text": value, "url": the list behind it}. A chart's series may
    name a state (a colour token, as `core.home.chart`); the page draws it with ECharts, the Word
    document with matplotlib. Official text is Chinese whatever the reader's language."""

    title: object  # a (lazy) label: the section's heading
    order: int
    build: object  # callable(period) -> dict | None


KINDS = Registry()
JOBS = Registry()
BADGES = Registry()
RISK_SIGNALS = Registry()
LEDGER_FIGURES = Registry()
TILES = Registry()
RULE_LABELS = Registry()
POLICY_TERMS = Registry()
SEARCH = Registry()
BRIEFING_SECTIONS = Registry()
EXERCISES = Registry()
PLAN_RESOURCES = Registry()
