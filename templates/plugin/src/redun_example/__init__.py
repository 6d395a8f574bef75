"""redun-example: a redun plugin providing the ``example_local`` executor.

Keep this module empty of imports: redun imports :mod:`redun_example.plugin` to find the
hooks, and anything imported here is paid for by every ``redun`` command.
"""

__version__ = "0.1.0"
