"""The CLI's commands, one module each; `flows.cli.main` imports them, which registers them on the app."""
