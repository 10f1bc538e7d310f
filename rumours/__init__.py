"""The `rumours` command line: `rumours.cli` puts every package's commands together."""
