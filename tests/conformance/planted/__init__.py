"""Planted faults: the reference with one rule broken each, to prove the kit can fail.

``faults`` declares the faults (and a ``handle`` per fault for ``--copydata-impl``), ``scan``
finds the first bundled case that catches each one, ``readme`` writes the README table.
"""
