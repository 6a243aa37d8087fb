"""Privacy: pseudonymisation of published texts (listed personal values, detected names) and its key file."""
