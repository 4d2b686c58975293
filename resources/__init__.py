"""Data files: fonts, icons, translations. Found through app.resources."""
