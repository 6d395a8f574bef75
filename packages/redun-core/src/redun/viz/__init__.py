"""Graphviz pictures of executions: the call graph and the dataflow of a run.

``redun viz`` builds DOT text with :mod:`redun.viz.dot` from the graphs read by
:mod:`redun.backends.db.graph`, and turns it into SVG or PNG with the ``dot`` binary
when Graphviz is installed (:mod:`redun.viz.render`).
"""
