"""copydata-conformance: the kit that checks an implementation of CopyData against the original.

Run it with ``copydata-conformance [pytest options]`` (see :mod:`conformance.cli`) or, in a pytest
run of your own, with the plugin's options (``--copydata-impl``, ``--copydata-cmd`` ...) and
``--pyargs conformance.suite``. Importing this package loads nothing else.
"""

__version__ = "0.1.0"
