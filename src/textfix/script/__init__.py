"""Chinese script variants: detection, OpenCC conversion with word-boundary repair, normalisation."""
