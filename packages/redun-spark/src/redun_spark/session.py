"""The SparkSession of this process: started once, reused by every Spark task.

Session mode runs Spark tasks in the scheduler's process, so startup (a JVM, ~5-10 s) is
paid once per process rather than once per task. A session that already exists when the
executor first needs one (a notebook's, a test's) is reused and left to its owner; one
started here is kept for later runs in the same process and stopped when it exits.

Spark's "active session" is per thread (the JVM keeps it in a thread local), so a task
running on a worker thread would not see it; :func:`activate` makes it active on the
calling thread, and :func:`current_session` answers "which session runs my task?".
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from redun_spark.errors import SparkError, SparkSetupError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

logger = logging.getLogger("redun.spark")

_lock = threading.RLock()
_started: SparkSession | None = None
_started_key: tuple | None = None
_task_session: ContextVar[SparkSession | None] = ContextVar("redun_spark_session", default=None)

JAVA_HINT = (
    "install Java 17 or newer (e.g. apt-get install openjdk-17-jre-headless) "
    "or set JAVA_HOME to a JDK"
)


def require_pyspark() -> None:
    """Fail with one line saying what to install when pyspark cannot be imported."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkSetupError(
            f"Spark tasks need pyspark, which cannot be imported ({exc}): "
            "pip install redun-spark (or pip install pyspark)"
        ) from None


def find_java() -> str:
    """The java binary Spark will use: ``$JAVA_HOME/bin/java``, else ``java`` on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        java = os.path.join(java_home, "bin", "java")
        if os.access(java, os.X_OK):
            return java
        raise SparkSetupError(f"JAVA_HOME={java_home} has no bin/java: {JAVA_HINT}")
    java = shutil.which("java")
    if java is None:
        raise SparkSetupError(f"Spark needs Java and no java is on PATH: {JAVA_HINT}")
    return java


def live_session() -> SparkSession | None:
    """The process's default SparkSession, if one is running (never starts one)."""
    if sys.modules.get("pyspark") is None:
        return None  # nothing can be running without pyspark imported
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    session = SparkSession._instantiatedSession
    if session is None or SparkContext._active_spark_context is None:
        return None
    if getattr(session.sparkContext, "_jsc", None) is None:
        return None  # stopped
    return session


def get_or_start_session(
    master: str, app_name: str, conf: Mapping[str, str], where: str
) -> SparkSession:
    """The running SparkSession, or a new one for ``master`` with ``conf``.

    A session started here for other settings is stopped and replaced; a session started
    by someone else is reused as it is.
    """
    global _started, _started_key
    key = (master, app_name, tuple(sorted(conf.items())))
    with _lock:
        existing = live_session()
        if existing is not None:
            if existing is not _started or _started_key == key:
                _warn_if_other_master(existing, master, where)
                return existing
            logger.info("Restarting Spark for the settings of %s", where)
            existing.stop()
        require_pyspark()
        find_java()
        _started = _build_session(master, app_name, conf, where)
        _started_key = key
        return _started


def _warn_if_other_master(session: SparkSession, master: str, where: str) -> None:
    running = session.sparkContext.master
    if running != master:
        logger.warning(
            "%s asks for Spark master %s; reusing this process's running session on %s",
            where,
            master,
            running,
        )


def _build_session(master: str, app_name: str, conf: Mapping[str, str], where: str) -> Any:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName(app_name)
    settings = dict(conf)
    if master == "local" or master.startswith("local["):
        # Workers of a local master are this machine's processes: they must run this
        # Python (with pyarrow, pandas, the user's modules), not whatever `python3` is.
        # pyspark reads the worker's Python from the environment, not from the conf.
        os.environ.setdefault(
            "PYSPARK_PYTHON", settings.get("spark.pyspark.python", sys.executable)
        )
        if "SPARK_LOCAL_IP" in os.environ:
            settings.setdefault("spark.driver.host", os.environ["SPARK_LOCAL_IP"])
            settings.setdefault("spark.driver.bindAddress", os.environ["SPARK_LOCAL_IP"])
    # Spark's progress bars would overwrite redun's status lines on the same terminal.
    settings.setdefault("spark.ui.showConsoleProgress", "false")
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as exc:
        raise start_error(exc, master, where) from None


def start_error(exc: BaseException, master: str, where: str) -> SparkError:
    """A one-line error for a SparkSession that would not start."""
    text = " ".join(str(exc).split())
    if "JAVA_GATEWAY_EXITED" in text or "Java gateway process exited" in text:
        return SparkSetupError(f"Spark's JVM exited on start-up for {where}: {JAVA_HINT}")
    first = text.split(" at org.", 1)[0].split(" JVM stacktrace:", 1)[0][:400]
    return SparkError(f"cannot start Spark with master {master!r} for {where}: {first}")


def activate(session: SparkSession) -> None:
    """Make ``session`` the active SparkSession of the calling thread (Spark and redun)."""
    from pyspark.sql import SparkSession

    getter = getattr(SparkSession, "_get_j_spark_session_class", None)
    jvm = session.sparkContext._jvm
    java_class = getter(jvm) if getter else jvm.org.apache.spark.sql.SparkSession
    java_class.setActiveSession(session._jsparkSession)
    SparkSession._activeSession = session


@contextmanager
def task_session(session: SparkSession) -> Iterator[SparkSession]:
    """Run a task body with ``session`` as its session (see :func:`current_session`)."""
    token = _task_session.set(session)
    try:
        activate(session)
        yield session
    finally:
        _task_session.reset(token)


def current_session() -> SparkSession | None:
    """The session of the task running in this thread, else Spark's active or default
    session (threads a task starts itself), else None."""
    session = _task_session.get()
    if session is not None and getattr(session.sparkContext, "_jsc", None) is not None:
        return session
    if sys.modules.get("pyspark") is None:
        return None
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    return active if active is not None else live_session()
