"""Read models folded from ledger events: pursuits, players, clubs, sources."""
