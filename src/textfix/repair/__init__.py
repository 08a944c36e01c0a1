"""Repair engine: detectors find suspicious spans, fixers propose candidates, a scorer decides."""
