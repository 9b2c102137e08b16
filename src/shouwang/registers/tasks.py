"""Periodic work of the registers: every place gets its rule colour for a day nobody rated."""

from .services import rate_unrated


def rate_today():
    return rate_unrated()
