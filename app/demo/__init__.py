"""Deterministic, realistic demo data modelled on Bến Tre, 2022-2026."""
