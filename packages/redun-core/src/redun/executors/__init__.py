"""Executors: where jobs run. ``Executor`` is the contract; implementations are found by
their ``executor_type`` through :mod:`redun.plugins.registry`, never by importing them
here, so that importing this package stays cheap."""

from __future__ import annotations

from redun.executors.base import Executor, register_executor

__all__ = ["Executor", "register_executor"]
