"""benchmarkkit: structured human-rights benchmarks you can validate, score and publish.

Load a dataset, or get every problem in it::

    >>> import benchmarkkit
    >>> report = benchmarkkit.validate("examples/kazakhstan-2012")
    >>> report.valid
    True
    >>> dataset = benchmarkkit.load_dataset("examples/kazakhstan-2012")
    >>> dataset.subject
    'Kazakhstan'

Everything public is importable from here; the private modules behind it
may change between releases.
"""

from __future__ import annotations

from benchmarkkit._lazy import lazy_exports
from benchmarkkit._version import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: start-up stays fast
if TYPE_CHECKING:
    from benchmarkkit._checks import (
        Check,
    )
    from benchmarkkit._codes import (
        CODES,
        CodeInfo,
    )
    from benchmarkkit._conditions import (
        AllOf,
        AnyOf,
        AreaCondition,
        AtLeast,
        BenchmarkCondition,
        Condition,
        Gate,
        RuleSpec,
        ScoringConfig,
    )
    from benchmarkkit._context import (
        CheckContext,
        Origin,
    )
    from benchmarkkit._converter import (
        converter,
        unstructure,
    )
    from benchmarkkit._dates import (
        PartialDate,
    )
    from benchmarkkit._errors import (
        BenchmarkkitError,
        DatasetError,
        SaveError,
        UnknownSchemaError,
    )
    from benchmarkkit._in_memory import (
        structure,
    )
    from benchmarkkit._model import (
        SCHEMA_VERSION,
        Actor,
        Area,
        Assessment,
        Benchmark,
        Commitment,
        Dataset,
        Evidence,
        Indicator,
        IndicatorValue,
        Measurement,
        Reading,
        Source,
        Standard,
    )
    from benchmarkkit._problems import (
        Problem,
        Severity,
        ValidationReport,
    )
    from benchmarkkit._save import (
        dump_dataset,
        save_dataset,
    )
    from benchmarkkit._scales import (
        BUILTIN_SCALES,
        Level,
        StatusScale,
    )
    from benchmarkkit._schema import (
        SCHEMA_NAMES,
        schema,
        schema_id,
        schema_text,
    )
    from benchmarkkit._validate import (
        DEFAULT_CHECKS,
        load_dataset,
        validate,
        validate_data,
    )
    from benchmarkkit._vocabulary import (
        ActorKind,
        BenchmarkOrigin,
        BenchmarkType,
        Direction,
        EvidenceDirection,
        IndicatorKind,
        Reliability,
        SourceKind,
        StandardKind,
    )

# Each public name and the private module it lives in. Names are imported on first use
# (PEP 562), so `import benchmarkkit` and `benchmarkkit --version` stay fast and a tool
# that only needs the model never loads the validator.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "benchmarkkit._checks": ("Check",),
    "benchmarkkit._codes": (
        "CODES",
        "CodeInfo",
    ),
    "benchmarkkit._conditions": (
        "AllOf",
        "AnyOf",
        "AreaCondition",
        "AtLeast",
        "BenchmarkCondition",
        "Condition",
        "Gate",
        "RuleSpec",
        "ScoringConfig",
    ),
    "benchmarkkit._context": ("CheckContext", "Origin"),
    "benchmarkkit._converter": (
        "converter",
        "unstructure",
    ),
    "benchmarkkit._dates": ("PartialDate",),
    "benchmarkkit._errors": (
        "BenchmarkkitError",
        "DatasetError",
        "SaveError",
        "UnknownSchemaError",
    ),
    "benchmarkkit._in_memory": ("structure",),
    "benchmarkkit._model": (
        "SCHEMA_VERSION",
        "Actor",
        "Area",
        "Assessment",
        "Benchmark",
        "Commitment",
        "Dataset",
        "Evidence",
        "Indicator",
        "IndicatorValue",
        "Measurement",
        "Reading",
        "Source",
        "Standard",
    ),
    "benchmarkkit._problems": (
        "Problem",
        "Severity",
        "ValidationReport",
    ),
    "benchmarkkit._save": (
        "dump_dataset",
        "save_dataset",
    ),
    "benchmarkkit._scales": (
        "BUILTIN_SCALES",
        "Level",
        "StatusScale",
    ),
    "benchmarkkit._schema": (
        "SCHEMA_NAMES",
        "schema",
        "schema_id",
        "schema_text",
    ),
    "benchmarkkit._validate": (
        "DEFAULT_CHECKS",
        "load_dataset",
        "validate",
        "validate_data",
    ),
    "benchmarkkit._vocabulary": (
        "ActorKind",
        "BenchmarkOrigin",
        "BenchmarkType",
        "Direction",
        "EvidenceDirection",
        "IndicatorKind",
        "Reliability",
        "SourceKind",
        "StandardKind",
    ),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())

__all__ = [
    "BUILTIN_SCALES",
    "CODES",
    "DEFAULT_CHECKS",
    "SCHEMA_NAMES",
    "SCHEMA_VERSION",
    "Actor",
    "ActorKind",
    "AllOf",
    "AnyOf",
    "Area",
    "AreaCondition",
    "Assessment",
    "AtLeast",
    "Benchmark",
    "BenchmarkCondition",
    "BenchmarkOrigin",
    "BenchmarkType",
    "BenchmarkkitError",
    "Check",
    "CheckContext",
    "CodeInfo",
    "Commitment",
    "Condition",
    "Dataset",
    "DatasetError",
    "Direction",
    "Evidence",
    "EvidenceDirection",
    "Gate",
    "Indicator",
    "IndicatorKind",
    "IndicatorValue",
    "Level",
    "Measurement",
    "Origin",
    "PartialDate",
    "Problem",
    "Reading",
    "Reliability",
    "RuleSpec",
    "SaveError",
    "ScoringConfig",
    "Severity",
    "Source",
    "SourceKind",
    "Standard",
    "StandardKind",
    "StatusScale",
    "UnknownSchemaError",
    "ValidationReport",
    "__version__",
    "converter",
    "dump_dataset",
    "load_dataset",
    "save_dataset",
    "schema",
    "schema_id",
    "schema_text",
    "structure",
    "unstructure",
    "validate",
    "validate_data",
]
