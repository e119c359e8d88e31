"""The GitHub Action: action.yml's shell steps run as the runner runs them (bash -eo pipefail,
inputs substituted, step outputs passed on) in a temporary git repository, with a fresh
Python environment standing in for actions/setup-python and the tool installed from a copy of
this checkout, as the action installs it from its own."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import LEAKY, ROOT, git, git_repository, write

pytestmark = pytest.mark.slow

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
UPLOAD_ACTION = "github/codeql-action/upload-sarif@v3"


def load_action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


class Runner:
    """Just enough of a composite-action runner for the action's own `run:` steps."""

    def __init__(self, action: dict, inputs: dict[str, str], workspace: Path, tools: Path):
        self.action = action
        self.inputs = {
            name: str(spec.get("default", "")) for name, spec in action["inputs"].items()
        }
        unknown = set(inputs) - set(self.inputs)
        assert not unknown, f"the action has no inputs {unknown}"
        self.inputs.update(inputs)
        self.workspace = workspace
        self.outputs: dict[str, dict[str, str]] = {}
        self.temp = workspace.parent / "runner-temp"
        self.temp.mkdir()
        self.action_path = workspace.parent / "action"
        self.env = {
            **os.environ,
            "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTION_PATH": str(self.action_path),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        }
        self.env.pop("VIRTUAL_ENV", None)

    def expand(self, text: str) -> str:
        def value(match: re.Match[str]) -> str:
            expression = match.group(1)
            if expression.startswith("inputs."):
                return self.inputs[expression.removeprefix("inputs.")]
            if expression == "github.action_path":
                return str(self.action_path)
            step = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
            if step:
                return self.outputs.get(step.group(1), {}).get(step.group(2), "")
            raise AssertionError(f"the test runner does not know ${{{{ {expression} }}}}")

        return EXPRESSION.sub(value, text)

    def run_step(self, step: dict) -> subprocess.CompletedProcess:
        assert step["shell"] == "bash"
        output_file = self.temp / f"output-{step.get('id', 'step')}"
        output_file.write_text("")
        script = self.temp / "step.sh"
        script.write_text(self.expand(step["run"]))
        env = {**self.env, "GITHUB_OUTPUT": str(output_file)}
        env.update({key: self.expand(str(value)) for key, value in step.get("env", {}).items()})
        cwd = self.workspace / self.expand(step.get("working-directory", "."))
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if "id" in step:
            lines = output_file.read_text().splitlines()
            self.outputs[step["id"]] = dict(line.split("=", 1) for line in lines if line)
        return proc


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A committed repository with an old leak; a new leak is added in the work tree."""
    repo = tmp_path / "workspace"
    write(repo / "svc" / "go.mod", "module example.com/svc\n\ngo 1.22\n")
    write(repo / "svc" / "old" / "old.go", LEAKY.replace("package leaky", "package old"))
    git_repository(repo)
    write(repo / "svc" / "fresh" / "fresh.go", LEAKY.replace("package leaky", "package fresh"))
    in_test = LEAKY.replace("package leaky", "package fresh").replace("Leak(", "leakInTest(")
    write(repo / "svc" / "fresh" / "fresh_test.go", in_test)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a new leak")
    return repo


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    """A fresh Python environment on PATH: what actions/setup-python provides."""
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "python")], check=True)
    return tmp_path / "python" / "bin"


def checkout_of_the_action(destination: Path) -> None:
    """The action's own checkout: this repository's files, without local build state."""
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", "testdata", ".hypothesis"
    )
    shutil.copytree(ROOT, destination, ignore=ignore)


def run_action(inputs: dict[str, str], workspace: Path, tools: Path) -> tuple[Runner, list]:
    action = load_action()
    runner = Runner(action, inputs, workspace, tools)
    checkout_of_the_action(runner.action_path)
    results = []
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue  # setup-python (stood in by `tools`) and the SARIF upload
        proc = runner.run_step(step)
        results.append((step.get("name"), proc))
        if proc.returncode != 0:
            break  # as the runner does: later steps without `if: always()` are skipped
    return runner, results


def test_action_steps_the_runner_cannot_run_here_are_the_expected_ones():
    action = load_action()
    assert action["runs"]["using"] == "composite"
    uses = [step["uses"] for step in action["runs"]["steps"] if "uses" in step]
    assert uses == ["actions/setup-python@v5", UPLOAD_ACTION]
    upload = next(s for s in action["runs"]["steps"] if s.get("uses") == UPLOAD_ACTION)
    assert "inputs.upload-sarif == 'true'" in upload["if"]
    assert "always()" in upload["if"]  # findings fail the run, but are uploaded first
    assert upload["with"]["sarif_file"] == "${{ steps.lint.outputs.sarif-file }}"
    # Inputs reach the shell through the environment, never pasted into a script.
    for step in action["runs"]["steps"]:
        assert "inputs." not in step.get("run", "")


def test_action_annotates_new_findings_uploads_sarif_and_fails(workspace, tools):
    runner, results = run_action(
        {
            "working-directory": "svc",
            "new-from-rev": "HEAD~1",
            "upload-sarif": "true",
            "args": "--tests=false  --enable default",
        },
        workspace,
        tools,
    )
    names = [name for name, _ in results]
    assert names == ["Install golint-leaks", "Run golint-leaks", "Fail on findings"]
    install, lint, fail = (proc for _, proc in results)
    assert install.returncode == 0, install.stderr
    assert lint.returncode == 0, lint.stderr
    assert runner.outputs["lint"]["exit-code"] == "1"
    # The text report in the log, then one annotation for the new leak only.
    assert "fresh/fresh.go:6:12: GLK402 " in lint.stdout
    assert "old/old.go" not in lint.stdout
    assert "fresh_test.go" not in lint.stdout  # --tests=false from the extra args
    annotations = [line for line in lint.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1
    assert annotations[0].startswith(
        "::warning file=svc/fresh/fresh.go,line=6,endLine=6,col=12,endColumn=38,"
        "title=GLK402 lost-cancel::the cancel function returned by context.WithCancel is "
        "discarded"
    )
    sarif_path = Path(runner.outputs["lint"]["sarif-file"])
    assert sarif_path == workspace / "svc" / "golint-leaks.sarif"
    results_in_sarif = json.loads(sarif_path.read_text())["runs"][0]["results"]
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results_in_sarif
    ]
    assert uris == ["svc/fresh/fresh.go"]
    assert fail.returncode == 1  # the job fails on the finding, after the upload


def test_action_passes_below_fail_on_and_writes_no_sarif_unless_asked(workspace, tools):
    runner, results = run_action(
        {"working-directory": "svc", "fail-on": "error", "annotations": "false"}, workspace, tools
    )
    lint = dict(results)["Run golint-leaks"]
    assert runner.outputs["lint"]["exit-code"] == "0"
    assert "old/old.go:6:12: GLK402 " in lint.stdout  # reported, below the threshold
    assert "fresh/fresh_test.go:6:12: GLK402 " in lint.stdout
    assert not [line for line in lint.stdout.splitlines() if line.startswith("::")]
    assert "sarif-file" not in runner.outputs["lint"]
    assert not (workspace / "svc" / "golint-leaks.sarif").exists()
    assert dict(results)["Fail on findings"].returncode == 0
