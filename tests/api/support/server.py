"""`python -m recognito serve` started as a user would, on a free port, and stopped by its PID."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from .names import free_port

REPO_ROOT = Path(__file__).resolve().parents[3]
SERVER_START_TIMEOUT = 60.0  # a loaded CI machine starts a server slowly


@dataclass
class ServerProcess:
    """A running `python -m recognito serve`, stopped by its PID."""

    proc: subprocess.Popen[bytes]
    port: int
    data_dir: Path
    stderr_path: Path
    stdout_path: Path
    scheme: str = "http"

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def running(self) -> bool:
        return self.proc.poll() is None

    def kill_hard(self) -> list[int]:
        """SIGKILL the parent and every process under it (workers, their helpers), as a
        crash or `kill -9` would: nothing is flushed or released but by the kernel. Returns
        the PIDs killed, once every one of them is gone."""
        pids = [self.proc.pid, *descendants(self.proc.pid)]
        for pid in pids:  # the parent first: nothing is left to start new workers
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=15)
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in pids[1:]):
            assert time.monotonic() < deadline, f"processes {pids} outlived SIGKILL"
            time.sleep(0.02)
        return pids

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)


def descendants(pid: int) -> list[int]:
    """Every process under `pid`, children first, read from /proc."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
        for child in children:
            found += [child, *descendants(child)]
    return found


def _alive(pid: int) -> bool:
    """Whether `pid` still runs (a zombie, killed and not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


# Every server started by this worker, so a failing test's report can show their logs.
STARTED_SERVERS: list[ServerProcess] = []


def server_env() -> dict[str, str]:
    """The test process's environment without anything that would steer the server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECOGNITO_", "AWS_"))}
    env["PYTHONUNBUFFERED"] = "1"
    # a response key outside its output shape is a bug: make the server answer 500 for it,
    # as pytest's warning filter does in-process
    env["PYTHONWARNINGS"] = "error::RuntimeWarning:recognito.protocol.http"
    return env


def start_server(
    data_dir: Path,
    log_dir: Path,
    *,
    port: int | None = None,
    extra_args: Sequence[str] = (),
    env: dict[str, str] | None = None,
) -> ServerProcess:
    """Start the server and wait until `/health` answers 200, failing with its stderr;
    `env` is added to the (cleaned) environment it runs with."""
    port = port or free_port()
    stamp = uuid.uuid4().hex[:6]
    stdout_path = log_dir / f"server-{port}-{stamp}.out"
    stderr_path = log_dir / f"server-{port}-{stamp}.err"
    args = [
        sys.executable,
        "-m",
        "recognito",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        *extra_args,
    ]
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        proc = subprocess.Popen(
            args,
            cwd=REPO_ROOT,
            env={**server_env(), **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
    tls = any(arg.startswith("--tls") for arg in extra_args)
    server = ServerProcess(
        proc, port, data_dir, stderr_path, stdout_path, "https" if tls else "http"
    )
    STARTED_SERVERS.append(server)
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    # readiness only; a TLS test checks the certificate itself
    with httpx.Client(timeout=1.0, verify=False) as http:
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"recognito serve exited with {proc.returncode}:\n{server.stderr()}",
                    pytrace=False,
                )
            try:
                if http.get(f"{server.base_url}/health").status_code == 200:
                    return server
            except httpx.HTTPError:
                pass
            if time.monotonic() >= deadline:
                server.stop()
                pytest.fail(
                    f"recognito serve not healthy after {SERVER_START_TIMEOUT:.0f}s:\n"
                    f"{server.stderr()}",
                    pytrace=False,
                )
            time.sleep(0.1)


# The signature of the private_server fixture in conftest.py.
StartServer = Callable[..., ServerProcess]


def run_recognito(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m recognito ARGS` run to its end as a user runs it (from the repository,
    in a clean environment): its exit code, standard output and error."""
    return subprocess.run(
        [sys.executable, "-m", "recognito", *args],
        cwd=REPO_ROOT,
        env=env or server_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def create_credentials(path: Path, *args: str) -> tuple[str, str]:
    """`recognito credentials create --file path ...`: the key pair it prints, once it says
    where it wrote it."""
    done = subprocess.run(
        [sys.executable, "-m", "recognito", "credentials", "create", "--file", str(path), *args],
        cwd=REPO_ROOT,
        env=server_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    printed = dict(line.split("=", 1) for line in done.stdout.splitlines())
    assert done.stderr.strip() == f"appended to {path}"
    return printed["AWS_ACCESS_KEY_ID"], printed["AWS_SECRET_ACCESS_KEY"]


def start_signed_server(data_dir: Path, log_dir: Path, credentials_file: Path) -> ServerProcess:
    """A server whose admin calls must be signed with a key of `credentials_file`."""
    return start_server(
        data_dir,
        log_dir,
        extra_args=["--admin-credentials", str(credentials_file), "--password-hashing", "fast"],
    )
