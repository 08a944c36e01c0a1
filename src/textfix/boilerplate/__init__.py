"""Page chrome removal: rule packs as data, line shapes, corpus line statistics, the stage."""
from .line_stats import LineStats
from .stage import BoilerplateStage

__all__ = ["BoilerplateStage", "LineStats"]
