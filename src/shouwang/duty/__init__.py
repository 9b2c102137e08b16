"""Duty rosters (issue 14).

In use: the plain-data modules (problem, solver, checker, patterns, staffing, ical, command).
The Django layer: rosters, assignments, leave, swaps, handovers, posture, optimiser runs, calendar links.

"""
