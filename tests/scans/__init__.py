"""Synthetic scans of our own sign-in sheets (issue 19): make_scans.py."""
