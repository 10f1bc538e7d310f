"""The rumour ledger: an append-only store of dated transfer claims."""
