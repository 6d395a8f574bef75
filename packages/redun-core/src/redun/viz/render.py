"""Turn DOT text into SVG or PNG with Graphviz's ``dot`` binary.

Graphviz is an optional system package, not a Python dependency: DOT output works
without it, and asking for an image without it is a one-line error saying what to
install.
"""

from __future__ import annotations

import shutil
import subprocess

from redun.errors import RedunError, UsageError

IMAGE_FORMATS = ("svg", "png")


class GraphvizError(RedunError):
    """The ``dot`` binary failed to render a graph."""


def find_dot() -> str | None:
    """Path of the ``dot`` binary, or None when Graphviz is not installed."""
    return shutil.which("dot")


def render(dot_text: str, fmt: str) -> bytes:
    """Render ``dot_text`` as ``fmt`` (svg or png) bytes."""
    if fmt not in IMAGE_FORMATS:
        raise UsageError(f"cannot render format '{fmt}': choose one of {', '.join(IMAGE_FORMATS)}")
    dot = find_dot()
    if dot is None:
        raise UsageError(
            f"--format {fmt} needs Graphviz's `dot` on PATH: install graphviz "
            "(apt install graphviz / brew install graphviz), or use --format dot"
        )
    proc = subprocess.run(
        [dot, f"-T{fmt}"], input=dot_text.encode("utf8"), capture_output=True, check=False
    )
    if proc.returncode != 0:
        message = proc.stderr.decode("utf8", "replace").strip().splitlines()
        raise GraphvizError(f"dot -T{fmt} failed: {message[0] if message else 'no output'}")
    return proc.stdout
