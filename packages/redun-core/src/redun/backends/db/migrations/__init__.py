"""Alembic environment for redun's schema (loaded by Alembic, not imported by redun)."""
