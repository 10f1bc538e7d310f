"""Entity resolution: the clubs, players and sources a claim names, resolved to stable ids.

`names` folds spellings to one key for every resolver; `clubs`, `club_model` and
`club_mentions` resolve clubs from the shipped reference data; `players` matches player names
(exactly, fuzzily, by surname) and `player_directory` keeps them in PostgreSQL; `sources` resolves
newsrooms and journalists with their tier history; `display_names` shows ids back as names from
the CSV files alone. Nothing is re-exported here: the registries are costly to import, and a
command that only shows names by id must not pay for them.
"""
