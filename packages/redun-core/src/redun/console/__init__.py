"""`redun console`: a terminal UI over the repository, built with textual.

textual is an optional dependency (``pip install 'redun-core[console]'``); nothing here is
imported by ``import redun`` or ``redun --help``. :mod:`redun.console.reader` and
:mod:`redun.console.routes` hold everything that does not need textual.
"""
