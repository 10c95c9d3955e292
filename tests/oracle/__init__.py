"""Differential run of the reference against the Go oracle (../shared/oracle)."""
