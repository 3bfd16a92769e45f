"""The Dockerfile and compose.yaml checked without a Docker daemon: the rules a linter
(hadolint) would hold them to that matter here, and the wheel the image installs, built
from this checkout, carrying every file the server reads at run time."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from dockerfile_parse import DockerfileParser  # type: ignore[import-untyped]

from recognito.config import Settings

ROOT = Path(__file__).resolve().parents[2]
PINNED = re.compile(r"^[\w./-]+:v?\d[\w.-]*$")  # a name and a version tag, never `latest`


@pytest.fixture(scope="module")
def instructions() -> list[dict[str, Any]]:
    parsed = DockerfileParser(str(ROOT / "Dockerfile"))
    return [i for i in parsed.structure if i["instruction"] != "COMMENT"]


def _final_stage(instructions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    starts = [n for n, i in enumerate(instructions) if i["instruction"] == "FROM"]
    return instructions[starts[-1] :]


def _values(stage: list[dict[str, Any]], instruction: str) -> list[str]:
    return [i["value"] for i in stage if i["instruction"] == instruction]


def test_every_base_image_is_a_pinned_slim_python_311(instructions: list[dict[str, Any]]) -> None:
    images = [v.split()[0] for v in _values(instructions, "FROM")]
    assert images
    for image in images:
        assert PINNED.match(image), f"{image} is not pinned to a version tag"
        assert image.startswith("python:3.11.") and "-slim" in image


def test_the_server_runs_as_an_unprivileged_user(instructions: list[dict[str, Any]]) -> None:
    final = _final_stage(instructions)
    users = _values(final, "USER")
    assert users and users[-1] not in ("root", "0", "0:0")
    # nothing runs as root after the switch, and the process starts after it
    last_user = max(n for n, i in enumerate(final) if i["instruction"] == "USER")
    assert all(i["instruction"] != "RUN" for i in final[last_user:])
    assert max(n for n, i in enumerate(final) if i["instruction"] == "CMD") > last_user


def test_no_remote_add_and_pip_keeps_no_cache(instructions: list[dict[str, Any]]) -> None:
    assert _values(instructions, "ADD") == []  # COPY only: no URLs, no archives unpacked
    for run in _values(instructions, "RUN"):
        for install in re.findall(r"pip install[^&]*", run):
            assert "--no-cache-dir" in install


def test_copied_sources_exist(instructions: list[dict[str, Any]]) -> None:
    for copy in _values(instructions, "COPY"):
        if copy.startswith("--from="):
            continue
        *sources, _ = copy.split()
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: no such file"


def test_health_port_volume_and_command(instructions: list[dict[str, Any]]) -> None:
    final = _final_stage(instructions)
    [health] = _values(final, "HEALTHCHECK")
    assert "http://127.0.0.1:9229/health" in health
    assert _values(final, "EXPOSE") == ["9229"]
    assert json.loads(_values(final, "VOLUME")[0]) == ["/data"]
    [command] = _values(final, "CMD")
    args = json.loads(command)  # exec form: the server is PID 1 and gets SIGTERM itself
    assert args[:2] == ["recognito", "serve"]
    assert args[args.index("--host") + 1] == "0.0.0.0"
    assert args[args.index("--data-dir") + 1] == "/data"
    assert args[args.index("--port") + 1] == "9229"


def _setting(variable: str) -> bool:
    """Whether RECOGNITO_<NAME> is the variable of a `serve` flag (or the master key)."""
    name = variable.removeprefix("RECOGNITO_").lower()
    return name in Settings.__dataclass_fields__ or name == "master_key"


def test_every_recognito_variable_names_a_setting(instructions: list[dict[str, Any]]) -> None:
    env_lines = " ".join(_values(instructions, "ENV"))
    in_dockerfile = re.findall(r"(RECOGNITO_\w+)=", env_lines)
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    in_compose = list(compose["services"]["recognito"]["environment"])
    assert in_dockerfile and in_compose
    for variable in in_dockerfile + in_compose:
        assert _setting(variable), f"{variable} is no setting"


def test_compose_wires_postgresql_and_the_smtp_catcher() -> None:
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    env = services["recognito"]["environment"]
    assert env["RECOGNITO_DATABASE_URL"].startswith("postgresql://")
    assert "@postgres:5432/" in env["RECOGNITO_DATABASE_URL"]
    assert env["RECOGNITO_SMTP_URL"] == "smtp://mailpit:1025"
    for name in ("postgres", "mailpit"):
        assert PINNED.match(services[name]["image"])
        assert name in services["recognito"]["depends_on"]


def test_the_wheel_carries_what_the_server_reads(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source)
    shutil.copytree(
        ROOT / "recognito", source / "recognito", ignore=shutil.ignore_patterns("__pycache__")
    )
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(tmp_path / "dist"), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("recognito-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    needed = [
        path.relative_to(ROOT).as_posix()
        for pattern in (
            "recognito/web/templates/*.html",
            "recognito/web/static/*",
            "recognito/store/migrations/*",
            "recognito/store/migrations/versions/*.py",
            "recognito/py.typed",
        )
        for path in ROOT.glob(pattern)
        if path.is_file()
    ]
    assert len(needed) > 20
    assert sorted(set(needed) - names) == []
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "recognito = recognito.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
