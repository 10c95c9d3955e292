"""The test modules the kit runs against an implementation (``pytest --pyargs conformance.suite``).

They only make sense with the kit's plugin (``-p copydata``, registered automatically when the
package is installed), which parametrizes them and provides their fixtures. Run them through
``copydata-conformance [pytest options]``.
"""
