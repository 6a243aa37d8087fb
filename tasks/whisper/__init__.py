"""Whisper behind a small interface: audio decoding, model resolution, engines, segmentation.

Nothing here imports prefect or reads the study's config files; the transcription stage
(`tasks/transcription.py`) passes in the settings.
"""
