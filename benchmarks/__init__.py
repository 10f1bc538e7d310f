"""The benchmark harness of SPEC §8: a synthetic ledger generator and the measurements run on it."""
