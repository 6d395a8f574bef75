"""Child processes of upstream's tests (subrun, federated tasks) import test modules as
``redun.tests.X`` too; the pytest plugin extends ``redun.__path__`` only in the pytest
process. This finder, loaded by every interpreter started with the shim on PYTHONPATH,
finds ``redun.tests`` in the unpacked suite without importing redun itself."""

import importlib.machinery
import os
import sys

_ROOT = os.environ.get("UPSTREAM_TESTS_ROOT")


class _UpstreamTests:
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if not _ROOT or not (name == "redun.tests" or name.startswith("redun.tests.")):
            return None
        where = os.path.join(_ROOT, *name.split(".")[:-1])
        return importlib.machinery.PathFinder.find_spec(name, [where])


sys.meta_path.append(_UpstreamTests)
