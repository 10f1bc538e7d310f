"""`python -m rumours`: the same command as the installed `rumours` script."""

from rumours.cli import main

main()
