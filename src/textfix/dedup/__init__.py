"""Deduplication: repeated content inside one document, and duplicate documents across a corpus."""
