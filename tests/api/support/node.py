"""The JavaScript clients in `tests/js/`: installed once from the lock file, run by Node.

`js_packages` (a session fixture, registered in conftest.py) runs `npm ci` into tests/js
unless every dependency pinned in package.json is already installed at its version, one
xdist worker at a time (a file lock). `Conversation` runs a script that speaks lines of
JSON: it may ask the test for something only the test has (an emailed code) before it
prints its result.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .server import REPO_ROOT

JS_DIR = REPO_ROOT / "tests" / "js"
NPM_TIMEOUT = 300
SCRIPT_TIMEOUT = 60


def pinned_versions() -> dict[str, str]:
    package = json.loads((JS_DIR / "package.json").read_text())
    versions: dict[str, str] = package["dependencies"]
    return versions


def installed_version(name: str) -> str | None:
    manifest = JS_DIR / "node_modules" / name / "package.json"
    if not manifest.is_file():
        return None
    version: str = json.loads(manifest.read_text())["version"]
    return version


def all_installed() -> bool:
    return all(installed_version(name) == v for name, v in pinned_versions().items())


@pytest.fixture(scope="session")
def js_packages() -> None:
    """Install the pinned packages from the lock file unless they already are."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            pytest.fail(f"`{tool}` is not on PATH; the JS client tests need Node 20+ and npm")
    with open(JS_DIR / ".npm-install.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if all_installed():
            return
        npm = subprocess.run(
            ["npm", "ci", "--prefix", str(JS_DIR), "--no-audit", "--no-fund"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT,
            check=False,
        )
        if npm.returncode != 0:
            pytest.fail(f"npm ci failed ({npm.returncode}):\n{npm.stderr}", pytrace=False)
    assert all_installed()


Answer = Callable[[dict[str, Any]], Any]


def converse(script: Path, flow: str, first: dict[str, Any], answer: Answer) -> dict[str, Any]:
    """Run `node <script> <flow>`, send `first` as its first line, answer each `{"ask": q}`
    line with `answer(q)` and return the `{"done": ...}` it ends with (its stderr added
    under "stderr" when it failed). Killed if it runs longer than SCRIPT_TIMEOUT."""
    with tempfile.TemporaryFile(mode="w+") as errors:
        proc = subprocess.Popen(
            ["node", str(script), flow],
            cwd=REPO_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        watchdog = threading.Timer(SCRIPT_TIMEOUT, proc.kill)
        watchdog.start()
        done: dict[str, Any] | None = None
        try:
            assert proc.stdin is not None and proc.stdout is not None
            with proc.stdin, proc.stdout:
                proc.stdin.write(json.dumps(first) + "\n")
                proc.stdin.flush()
                for line in proc.stdout:
                    message = json.loads(line)
                    if "done" in message:
                        done = message["done"]
                        break
                    proc.stdin.write(json.dumps({"answer": answer(message["ask"])}) + "\n")
                    proc.stdin.flush()
            proc.wait(timeout=SCRIPT_TIMEOUT)
        finally:
            watchdog.cancel()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        errors.seek(0)
        if done is None:
            raise AssertionError(f"{script.name} {flow} ended without a result:\n{errors.read()}")
        if not done.get("ok"):
            done["stderr"] = errors.read()
        return done
