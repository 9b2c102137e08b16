"""Duty rosters (issue 14).

In use: the plain-data modules (problem, solver, checker, patterns, staffing, ical, command).
Drafted, not installed yet: the Django layer (choices, models, rosters, services, queries, tiles).
It has no apps.py, migration, pages or tests, so nothing imports it until the app is wired in.
"""
