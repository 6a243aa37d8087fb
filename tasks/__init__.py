"""Stage modules of the interview study pipeline: one module per stage, plain functions inside."""
