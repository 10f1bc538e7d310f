"""Structured-claim ingest: read files, validate, resolve names, append."""
