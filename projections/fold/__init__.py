"""The pure fold: claims to pursuit statuses and bitemporal rows, with no database (SPEC §5.2).

`values` holds what the fold reads and answers with and the one order claims fold in;
`statuses` the status vocabulary; `pursuit` one pursuit's state and rules; `player` folds one
player's claims; `timeline` turns a player's events into rows valid from a date and known from a
position. The database code around it (`projections.runner`, `projections.rebuild`) is thin.
"""
