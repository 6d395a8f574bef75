"""Spark's exceptions, made to survive the trip from a driver back to the scheduler.

pyspark's exceptions keep their message outside ``args``, so pickling one (as
``redun oneshot`` does with a task's error) brings back an empty exception; and the
ones raised from the JVM (``pyspark.errors.exceptions.captured``) need a running JVM
even to print. The driver of submit mode installs :func:`make_spark_errors_picklable`:
an exception travels as its public pyspark class (``pyspark.errors.AnalysisException``
for a captured one, which ``except AnalysisException`` still catches) and its message.
"""

from __future__ import annotations

from typing import Any

CAPTURED = "pyspark.errors.exceptions.captured"
PUBLIC = "pyspark.errors.exceptions.base"


def rebuild_spark_error(cls: type, message: str) -> BaseException:
    """``cls(message=message)``, or a RuntimeError naming ``cls`` if it will not build."""
    try:
        error = cls(message=message)
        str(error)
        return error
    except Exception:
        return RuntimeError(f"{cls.__module__}.{cls.__qualname__}: {message}")


def public_class(cls: type) -> type:
    """The first class of ``cls``'s hierarchy that lives without a JVM."""
    if cls.__module__ != CAPTURED:
        return cls
    for base in cls.__mro__:
        if base.__module__ == PUBLIC:
            return base
    return RuntimeError


def _reduce(error: BaseException) -> tuple[Any, ...]:
    message = getattr(error, "_desc", None)
    if message is None:
        message = str(error)
    return (rebuild_spark_error, (public_class(type(error)), message))


def make_spark_errors_picklable() -> None:
    """Pickle every pyspark exception as its public class and message (drivers only)."""
    from pyspark.errors import PySparkException

    PySparkException.__reduce__ = _reduce  # type: ignore[method-assign,assignment]
