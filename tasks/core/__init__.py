"""The small core shared by every stage: errors, ids, safe files, config, the study folder, status."""
