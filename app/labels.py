"""Vietnamese labels for stored values, and number formatting the Vietnamese way."""

from __future__ import annotations


def number(value: int) -> str:
    """4017 -> "4.017": Vietnamese groups thousands with dots."""
    return f"{value:,}".replace(",", ".")
