"""Parts of the review stage (the member check): decisions, the review document, the import."""
