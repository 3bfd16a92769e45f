"""In-process service tests: the real operations on a real SQLite store, with a clock
the test moves, so expiry is tested without sleeping."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from recognito import errors
from recognito.api import operations
from recognito.app import build_services
from recognito.clock import FrozenClock
from recognito.config import Settings
from recognito.crypto.at_rest import MasterKey
from recognito.protocol.model import operation_model
from recognito.protocol.serialize import serialize_output
from recognito.protocol.validate import validate_input
from recognito.service.context import Services
from recognito.store.master_key import write_key
from tests.postgres import throwaway_database


class Service:
    def __init__(self, services: Services, clock: FrozenClock) -> None:
        self.services = services
        self.clock = clock
        self._operations = operations()

    def __call__(self, name: str, **params: Any) -> dict[str, Any]:
        model = operation_model(name)
        assert model is not None
        request = validate_input(model.input_shape, params)
        return serialize_output(model.output_shape, self._operations[name](self.services, request))

    def last_code(self, recipient: str) -> str:
        with self.services.store.read() as tx:
            rows = tx.outbox.rows(recipient, 1)
        found = re.search(r"\b(\d{6})\b", rows[0].body or "")
        assert found, rows
        return found.group(1)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:
    """A fresh PostgreSQL database for this test worker."""
    with throwaway_database(f"recognito_test_{worker_id}_{os.getpid()}") as url:
        yield url


@pytest.fixture(scope="session")
def postgres_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The master key of this worker's PostgreSQL database (SQLite's is made in its data
    folder, the developer default)."""
    path = tmp_path_factory.mktemp("master") / "master.key"
    write_key(path, MasterKey.generate())
    return path


def settings_for(request: pytest.FixtureRequest, data_dir: Path) -> Settings:
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
        key = request.getfixturevalue("postgres_key")
        return Settings(data_dir=data_dir, database_url=url, master_key_file=key)
    return Settings(data_dir=data_dir)


@pytest.fixture(params=["sqlite", "postgresql"])
def service(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FrozenClock
) -> Iterator[Service]:
    """Every service test runs on both stores: the same Core code must behave the same."""
    services, deliverer = build_services(settings_for(request, tmp_path), clock)
    yield Service(services, clock)
    deliverer.close()
    services.store.engine.dispose()


@pytest.fixture
def pool(service: Service) -> dict[str, Any]:
    """A pool with email auto-verification and a password-auth client."""
    pool_id = service("CreateUserPool", PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"][
        "Id"
    ]
    client = service(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="c",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    return {"pool_id": pool_id, "client_id": client["ClientId"]}


RACERS = 100


def race(call: Callable[[], Any]) -> Counter[str]:
    """Run `call` RACERS times at once; count the outcomes ("ok" or "Code: message")."""

    def one(_: int) -> str:
        try:
            call()
        except errors.CognitoError as error:
            return f"{error.code}: {error.message}"
        return "ok"

    with ThreadPoolExecutor(RACERS) as pool:
        return Counter(pool.map(one, range(RACERS)))
