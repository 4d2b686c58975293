"""TapHuan's use cases, documents, charts, CLI and database: everything but the GUI."""

__version__ = "0.1.0"
