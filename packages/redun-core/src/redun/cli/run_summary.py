"""The line `redun run` ends with when the cache served jobs: what reuse saved."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("redun")


def log_savings(scheduler: Any) -> None:
    """``reused N jobs: 3 h 12 m of compute saved``, from the execution's recorded rows.

    One query after the run (never per job); silent when nothing was reused or the
    backend cannot tell, and never fails the run.
    """
    from redun.backends.db.saved import format_savings

    execution = getattr(scheduler, "execution", None)
    if execution is None:
        return
    try:
        savings = scheduler.backend.get_execution_savings(execution.id)
    except Exception as error:  # noqa: BLE001 - a summary must not fail a finished run
        logger.debug("could not compute cache savings: %s", error)
        return
    if savings is not None and savings.reused:
        logger.info(format_savings(savings))
