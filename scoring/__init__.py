"""The scoring engine: plain data in, plain results out. No Django import anywhere in this package.

Official scores are computed in exact rationals and published as `decimal.Decimal` rounded
half-up by the framework's rounding policy; batch analysis over many draws uses numpy.

Official (exact) path: Fractions inside, Decimals rounded half-up out:
    score_region(framework, values, *, previous=None, cohort=None) -> RegionScore
    score_regions(framework, {region: values} | ScaledValues, *, previous=None,
                  previous_indices=None, groups=None) -> BatchScore
    build_cohort(framework, {region: values}, *, previous=None) -> Cohort

Ranks and improvement: competition_ranks, group_ranks, improvement (scoring.rank).
Float path for analysis: compile_framework, value_matrix, score_matrix, rank_array
(scoring.vector, scoring.rank). Progress bands: assess_progress (scoring.progress).

Modules: model (input contract), tree (validation, flattening), values (missing policy),
normalise (raw value -> scale), aggregate (weighted means), engine (one region), batch (many
regions), scaled (values as scaled integers), rank, rounding, vector + vector_normalise
(numpy), progress, build (short constructors).
"""

from scoring.batch import BatchScore, score_regions
from scoring.engine import ExactFigures, RegionScore, build_cohort, predicate_for, score_region
from scoring.errors import FrameworkError, ScoringError, ScoringInputError
from scoring.normalise import Cohort, ItemStats
from scoring.progress import Growth, Observation, Progress, ProgressBand, assess_progress
from scoring.rank import competition_ranks, group_ranks, improvement, rank_array
from scoring.scaled import ScaledValues
from scoring.tree import plan_for
from scoring.vector import (
    CompiledFramework,
    VectorScores,
    aggregate_matrix,
    compile_framework,
    scale_matrix,
    score_matrix,
    value_matrix,
)

__all__ = [
    "BatchScore",
    "Cohort",
    "CompiledFramework",
    "ExactFigures",
    "FrameworkError",
    "Growth",
    "ItemStats",
    "Observation",
    "Progress",
    "ProgressBand",
    "RegionScore",
    "ScaledValues",
    "ScoringError",
    "ScoringInputError",
    "VectorScores",
    "aggregate_matrix",
    "assess_progress",
    "build_cohort",
    "competition_ranks",
    "compile_framework",
    "group_ranks",
    "improvement",
    "plan_for",
    "predicate_for",
    "rank_array",
    "scale_matrix",
    "score_matrix",
    "score_region",
    "score_regions",
    "value_matrix",
]
