"""benchmarkkit: structured human-rights benchmarks you can validate, score and publish.

Load a dataset, or get every problem in it::

    >>> import benchmarkkit
    >>> report = benchmarkkit.validate("examples/kazakhstan-2012")
    >>> report.valid
    True
    >>> dataset = benchmarkkit.load_dataset("examples/kazakhstan-2012")
    >>> dataset.subject
    'Kazakhstan'

Everything public is importable from here, from :mod:`benchmarkkit.scoring` and
from :mod:`benchmarkkit.reports`; the private modules behind them may change
between releases.
"""

from benchmarkkit import _lazy
from benchmarkkit._version import __version__ as __version__

# What type checkers see: `_EXPORTS` below, written as imports. tests/test_public_api.py
# fails, printing the block to paste, when the two differ.
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: start-up stays fast
if TYPE_CHECKING:
    from benchmarkkit._checks import Check as Check
    from benchmarkkit._codes import CODES as CODES
    from benchmarkkit._context import CheckContext as CheckContext
    from benchmarkkit._converter import unstructure as unstructure
    from benchmarkkit._dates import PartialDate as PartialDate
    from benchmarkkit._errors import BenchmarkkitError as BenchmarkkitError
    from benchmarkkit._errors import DatasetError as DatasetError
    from benchmarkkit._errors import SaveError as SaveError
    from benchmarkkit._in_memory import structure as structure
    from benchmarkkit._model import Actor as Actor
    from benchmarkkit._model import Area as Area
    from benchmarkkit._model import Assessment as Assessment
    from benchmarkkit._model import Benchmark as Benchmark
    from benchmarkkit._model import Classification as Classification
    from benchmarkkit._model import Commitment as Commitment
    from benchmarkkit._model import Dataset as Dataset
    from benchmarkkit._model import Evidence as Evidence
    from benchmarkkit._model import Indicator as Indicator
    from benchmarkkit._model import Measurement as Measurement
    from benchmarkkit._model import Reading as Reading
    from benchmarkkit._model import Recommendation as Recommendation
    from benchmarkkit._model import Response as Response
    from benchmarkkit._model import Source as Source
    from benchmarkkit._model import Standard as Standard
    from benchmarkkit._problems import Problem as Problem
    from benchmarkkit._problems import Severity as Severity
    from benchmarkkit._problems import ValidationReport as ValidationReport
    from benchmarkkit._save import dump_dataset as dump_dataset
    from benchmarkkit._save import save_dataset as save_dataset
    from benchmarkkit._validate import DEFAULT_CHECKS as DEFAULT_CHECKS
    from benchmarkkit._validate import load_dataset as load_dataset
    from benchmarkkit._validate import validate as validate
    from benchmarkkit._validate import validate_data as validate_data
    from benchmarkkit._vocabulary import ActorKind as ActorKind
    from benchmarkkit._vocabulary import ArchiveKind as ArchiveKind
    from benchmarkkit._vocabulary import BenchmarkOrigin as BenchmarkOrigin
    from benchmarkkit._vocabulary import BenchmarkType as BenchmarkType
    from benchmarkkit._vocabulary import Direction as Direction
    from benchmarkkit._vocabulary import EvidenceDirection as EvidenceDirection
    from benchmarkkit._vocabulary import IndicatorKind as IndicatorKind
    from benchmarkkit._vocabulary import Mechanism as Mechanism
    from benchmarkkit._vocabulary import Position as Position
    from benchmarkkit._vocabulary import Reliability as Reliability
    from benchmarkkit._vocabulary import SourceKind as SourceKind
    from benchmarkkit._vocabulary import StandardKind as StandardKind

# The public API: each name and the private module it lives in. This table is the one
# list: it makes `__all__` and `dir()`, and imports each name on first use (PEP 562), so
# `import benchmarkkit` and `benchmarkkit --version` stay fast and a tool that only needs
# the records never loads the validator. A new name goes here, into the block above, and
# into docs/reference/api.md (tests/test_public_api.py checks all three).
_EXPORTS: dict[str, str] = {
    # Load, validate, save, convert.
    "load_dataset": "benchmarkkit._validate",
    "validate": "benchmarkkit._validate",
    "validate_data": "benchmarkkit._validate",
    "save_dataset": "benchmarkkit._save",
    "dump_dataset": "benchmarkkit._save",
    "structure": "benchmarkkit._in_memory",
    "unstructure": "benchmarkkit._converter",
    # The records, and the dates they hold.
    "Dataset": "benchmarkkit._model",
    "Actor": "benchmarkkit._model",
    "Source": "benchmarkkit._model",
    "Standard": "benchmarkkit._model",
    "Commitment": "benchmarkkit._model",
    "Recommendation": "benchmarkkit._model",
    "Response": "benchmarkkit._model",
    "Classification": "benchmarkkit._model",
    "Area": "benchmarkkit._model",
    "Benchmark": "benchmarkkit._model",
    "Indicator": "benchmarkkit._model",
    "Measurement": "benchmarkkit._model",
    "Reading": "benchmarkkit._model",
    "Evidence": "benchmarkkit._model",
    "Assessment": "benchmarkkit._model",
    "PartialDate": "benchmarkkit._dates",
    # The closed vocabularies the records' fields take.
    "ActorKind": "benchmarkkit._vocabulary",
    "SourceKind": "benchmarkkit._vocabulary",
    "ArchiveKind": "benchmarkkit._vocabulary",
    "StandardKind": "benchmarkkit._vocabulary",
    "BenchmarkType": "benchmarkkit._vocabulary",
    "BenchmarkOrigin": "benchmarkkit._vocabulary",
    "IndicatorKind": "benchmarkkit._vocabulary",
    "Mechanism": "benchmarkkit._vocabulary",
    "Position": "benchmarkkit._vocabulary",
    "Direction": "benchmarkkit._vocabulary",
    "EvidenceDirection": "benchmarkkit._vocabulary",
    "Reliability": "benchmarkkit._vocabulary",
    # Problems, and the codes they carry (read-only).
    "ValidationReport": "benchmarkkit._problems",
    "Problem": "benchmarkkit._problems",
    "Severity": "benchmarkkit._problems",
    "CODES": "benchmarkkit._codes",
    # Checks of your own.
    "Check": "benchmarkkit._checks",
    "CheckContext": "benchmarkkit._context",
    "DEFAULT_CHECKS": "benchmarkkit._validate",
    # Errors.
    "BenchmarkkitError": "benchmarkkit._errors",
    "DatasetError": "benchmarkkit._errors",
    "SaveError": "benchmarkkit._errors",
}
if not TYPE_CHECKING:  # type checkers see the imports above, and no other name
    __all__, __getattr__, __dir__ = _lazy.lazy_exports(__name__, _EXPORTS, globals())
del TYPE_CHECKING
