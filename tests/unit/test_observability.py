"""/metrics per --metrics, and the JSON log format, in-process."""

from __future__ import annotations

import json
import logging

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from recognito import metrics
from recognito.config import Settings
from recognito.logs import REQUEST_ID, JsonFormatter
from recognito.web.scrape import metrics_routes


def _client(mode: str, peer: str) -> TestClient:
    app = Starlette(routes=metrics_routes(Settings(metrics=mode)))
    return TestClient(app, client=(peer, 50000))


def test_local_metrics_answer_loopback_clients_only() -> None:
    metrics.request_answered("ListUserPools", "success", 0.01)
    mine = _client("local", "127.0.0.1").get("/metrics")
    assert mine.status_code == 200
    assert 'recognito_requests_total{operation="ListUserPools",outcome="success"}' in mine.text
    assert _client("local", "192.0.2.7").get("/metrics").status_code == 403


def test_open_metrics_answer_anyone_and_off_has_no_page() -> None:
    assert _client("open", "192.0.2.7").get("/metrics").status_code == 200
    assert _client("off", "127.0.0.1").get("/metrics").status_code == 404


def _line(name: str, message: str, *args: object) -> dict[str, object]:
    record = logging.LogRecord(name, logging.INFO, __file__, 1, message, args, None)
    parsed = json.loads(JsonFormatter().format(record))
    assert isinstance(parsed, dict)
    return parsed


def test_a_json_line_carries_the_request_id_of_its_context() -> None:
    assert "request_id" not in _line("recognito", "no request here")
    token = REQUEST_ID.set("5b0c3c1e-0000-4000-8000-000000000000")
    try:
        line = _line("recognito.api", "pool %s: %s", "us-east-1_abc", "warned")
    finally:
        REQUEST_ID.reset(token)
    assert line["request_id"] == "5b0c3c1e-0000-4000-8000-000000000000"
    assert line["message"] == "pool us-east-1_abc: warned"
    assert {"time", "level", "logger"} <= line.keys()


@pytest.mark.parametrize(
    "path", ["/confirmUser?client_id=c&user_name=ana&confirmation_code=123456", "/confirmUser"]
)
def test_access_lines_leave_out_the_query_string(path: str) -> None:
    line = _line(
        "uvicorn.access", '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET", path, "1.1", 200
    )
    assert line["message"] == '127.0.0.1:5 - "GET /confirmUser HTTP/1.1" 200'
