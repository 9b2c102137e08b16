"""Shouwang (守望): safety work and emergency response for a street office."""

__version__ = "0.1.0"
