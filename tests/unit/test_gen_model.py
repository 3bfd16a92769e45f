"""scripts/gen_model.py: the committed generated files are what it writes, and --check
says when they are not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "gen_model.py"
GENERATED = ("recognito/errors.py", "recognito/shapes.py")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120
    )


def test_the_committed_files_are_up_to_date() -> None:
    result = _run("--check")
    assert result.returncode == 0, result.stderr


def test_check_names_stale_files_and_writing_refreshes_them(tmp_path: Path) -> None:
    (tmp_path / "recognito").mkdir()
    (tmp_path / "recognito/errors.py").write_text("# edited by hand\n")

    stale = _run("--check", "--root", str(tmp_path))
    assert stale.returncode == 1
    assert "recognito/errors.py" in stale.stderr and "recognito/shapes.py" in stale.stderr
    assert not (tmp_path / "recognito/shapes.py").exists()  # --check writes nothing

    assert _run("--root", str(tmp_path)).returncode == 0
    for name in GENERATED:
        assert (tmp_path / name).read_text() == (ROOT / name).read_text()
    assert _run("--check", "--root", str(tmp_path)).returncode == 0
