"""The version of redun-core, at the bottom of the layers so any part may record it."""

from __future__ import annotations

__version__ = "0.1.0"
