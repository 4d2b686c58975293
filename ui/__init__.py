"""The PySide6 GUI. Imports app only: never models or sqlalchemy."""
