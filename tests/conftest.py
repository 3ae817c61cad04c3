"""Test configuration: Hypothesis profiles and shared paths."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "examples" / "kazakhstan-2012"
#: The notes the example validates with, both info: no benchmark names two of the EU's
#: stated positions (examples/kazakhstan-2012/commitments.yaml says why).
EXAMPLE_NOTES = {"unlinked-commitment": 2}

# The command keeps the quotes it verified in the user's cache folder: the tests' commands
# (in process and in subprocesses, which inherit it) keep them in a folder of their own.
if "BENCHMARKKIT_CACHE_DIR" not in os.environ:
    import atexit
    import shutil
    import tempfile

    _CACHE = tempfile.mkdtemp(prefix="benchmarkkit-test-cache-")
    os.environ["BENCHMARKKIT_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    # 200 keeps the whole thorough run, the 10,000-input campaign included, within CI's
    # 15 minutes; tests that must see more say so with max_examples() below.
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", max_examples=20, deadline=None)
#: The Hypothesis profile of this run: default, dev (quick) or ci (thorough).
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
settings.load_profile(PROFILE)


#: The share of a thorough run's examples each profile gives a test that names its count.
_SHARE = {"ci": 1.0, "default": 0.1, "dev": 1 / 30}


def max_examples(thorough: int) -> int:
    """``thorough`` examples in the ci profile; in the others, a share of it.

    For a test that must see a given number of examples in the thorough run
    (``@settings(max_examples=max_examples(2000))``): 200 in the default profile, 67 in dev.
    """
    return max(1, round(thorough * _SHARE.get(PROFILE, 1.0)))


_LOOPBACK = ("127.0.0.1", "::1", "localhost")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach beyond this machine: a dataset must never make the library fetch anything.

    Loopback stays open for the browser test, which talks to a local Chromium.
    """
    import socket

    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if host not in _LOOPBACK and not (isinstance(host, str) and host.startswith("/")):
            raise AssertionError(f"a test tried to reach the network: {address!r}")
        real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)


class Run(NamedTuple):
    """What a command run in-process gave: its exit status and what it printed."""

    status: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run ``benchmarkkit`` in this process: ``cli("validate", path)``; never a traceback."""
    from benchmarkkit.cli import main

    def run(*args: str | Path) -> Run:
        status = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Run(status, captured.out, captured.err)

    return run


# -- figures printed at the end of the run -----------------------------------------------------

#: The robustness campaign's figures (tests/test_campaign.py), by process: this one, or each
#: pytest-xdist worker's, which the worker sends to the controller when it finishes.
CAMPAIGN_FIGURES = pytest.StashKey[dict[str, dict[str, Any]]]()


def keep_campaign_figures(config: pytest.Config, figures: dict[str, Any]) -> None:
    """Keep this process's campaign figures so far (plain data), for the end of the run."""
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: the controller prints them
        workeroutput["campaign"] = figures
    else:
        config.stash.setdefault(CAMPAIGN_FIGURES, {})["main"] = figures


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: a worker has finished
def pytest_testnodedown(node: Any, error: object) -> None:
    figures = getattr(node, "workeroutput", {}).get("campaign")
    if figures is not None:
        node.config.stash.setdefault(CAMPAIGN_FIGURES, {})[node.gateway.id] = figures


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The campaign's figures, added up over the processes that ran it."""
    parts = terminalreporter.config.stash.get(CAMPAIGN_FIGURES, {})
    if parts:
        from tests.test_campaign import Figures

        terminalreporter.write_line("")
        for line in Figures.added_up(parts[name] for name in sorted(parts)).lines():
            terminalreporter.write_line(line)
