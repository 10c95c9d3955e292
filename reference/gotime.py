"""Go's `time.Time` as the original uses it: an instant with nanoseconds and a fixed UTC offset.

STUB: to be implemented (see the helper brief). The public names below are the contract.
"""
