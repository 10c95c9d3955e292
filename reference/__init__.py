"""A pure-Python reference implementation of CopyData (cri-o libpod, 2017), byte-identical to Go.

The one face other code uses is :func:`reference.protocol.handle`. Everything else mirrors the
Go original closely enough that a reader can check it line by line against
``spec/original/copy_data.go``.
"""

__version__ = "0.1.0"
