"""Re-export: task source hashing lives in ``redun.source`` (values hash functions too)."""

from redun.source import get_func_source

__all__ = ["get_func_source"]
