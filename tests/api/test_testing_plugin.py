"""README's "Use it in your app's tests", run as written: its seed file, pytest.ini,
conftest.py and test module copied into an empty folder and run with pytest, which starts
its own `recognito serve --test-api` through `recognito.testing`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.api.support.server import REPO_ROOT

FILES = ("seed.yaml", "pytest.ini", "conftest.py", "test_sign_up.py")


def readme_files() -> dict[str, str]:
    """Each file of the section: the fenced block after the line naming it."""
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split("## Use it in your app's tests", 1)[1].split("\n## ", 1)[0]
    found = {}
    for name in FILES:
        block = re.search(rf"^`{re.escape(name)}`:\n\n```\w+\n(.*?)^```", section, re.S | re.M)
        assert block is not None, f"README shows no {name}"
        found[name] = block.group(1)
    return found


def test_the_readme_example_runs_as_written(tmp_path: Path) -> None:
    for name, text in readme_files().items():
        (tmp_path / name).write_text(text)
    # the app's own pytest run: nothing of this suite's workers or settings leaks in
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "RECOGNITO_"))}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout
