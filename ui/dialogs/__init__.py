"""Dialogs collect and validate input and return a value; pages do the saving."""
