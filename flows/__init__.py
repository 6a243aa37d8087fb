"""Orchestration only: the Prefect flows, serving, and the command line that starts them."""
