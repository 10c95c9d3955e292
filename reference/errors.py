"""The two ways a Go call ends badly, as Python exceptions that never escape `protocol.handle`."""

from __future__ import annotations

#: The text of Go's runtime panic for a nil pointer dereference (the original's only panic).
NIL_DEREFERENCE = "runtime error: invalid memory address or nil pointer dereference"


class GoError(Exception):
    """A Go `error` value; ``str(exc)`` is exactly the text Go's ``err.Error()`` returns."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def wrap(self, prefix: str) -> GoError:
        """`errors.Wrapf(err, prefix)`: ``prefix + ": " + err.Error()``."""
        return GoError(f"{prefix}: {self.message}")


class GoPanic(Exception):
    """Where Go would panic; ``str(exc)`` is the panic value's text."""

    def __init__(self, message: str = NIL_DEREFERENCE) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
