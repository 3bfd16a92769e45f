"""Trigger functions for the API tests, reached the three ways the server can reach one:
an HTTP hook server, the Lambda Invoke REST API (a local server speaking it, checking
each call's SigV4 Authorization header), and in-process callables
(tests/api/trigger_functions.py, imported by the server itself).

Each function's behaviour is fixed by its name (`BEHAVIOURS`), so a test picks one by the
ARN it puts in the pool's LambdaConfig; every event is recorded with the pool it came
from, so tests sharing a server never see each other's events.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .names import free_port

ACCOUNT = "123456789012"
REGION = "us-east-1"

# name -> what the function does with the event: the payload to answer and, for a
# function error, Lambda's errorMessage
Reply = tuple[Any, str | None]


def _echo(event: dict[str, Any]) -> Reply:
    return event, None


def _auto_confirm(event: dict[str, Any]) -> Reply:
    event["response"].update(autoConfirmUser=True, autoVerifyEmail=True)
    return event, None


def _fail(event: dict[str, Any]) -> Reply:
    return {
        "errorMessage": "Registration from this domain is not allowed.",
        "errorType": "Error",
    }, ("Registration from this domain is not allowed.")


def _null(event: dict[str, Any]) -> Reply:
    return None, None


def _drop_envelope(event: dict[str, Any]) -> Reply:
    return {"response": event["response"]}, None


def _string_flag(event: dict[str, Any]) -> Reply:
    event["response"]["autoConfirmUser"] = "true"  # a string where Cognito wants a boolean
    return event, None


def _slow(event: dict[str, Any]) -> Reply:
    time.sleep(3)  # beyond the test server's --trigger-timeout 1
    return event, None


def _custom_message(event: dict[str, Any]) -> Reply:
    request = event["request"]
    code, username = request["codeParameter"], request["usernameParameter"]
    to = f" for {username}" if username else ""
    event["response"].update(
        emailSubject=f"Custom {event['triggerSource']}",
        emailMessage=f"<p>Hello{to}, your code is {code}</p>",
        smsMessage=f"Custom SMS{to}: {code}",
    )
    return event, None


def _message_without_code(event: dict[str, Any]) -> Reply:
    event["response"]["emailMessage"] = "No code in here"
    return event, None


def _inbound_map(event: dict[str, Any]) -> Reply:
    # InboundFederation: keep the IdP's email, and a name made from its userInfo
    info = event["request"]["attributes"]["userInfo"]
    event["response"]["userAttributesToMap"] = {
        "email": info["email"],
        "name": f"Federated {info['email']}",
    }
    return event, None


BEHAVIOURS: dict[str, Callable[[dict[str, Any]], Reply]] = {
    "custom-message": _custom_message,
    "message-without-code": _message_without_code,
    "echo": _echo,
    "inbound-map": _inbound_map,
    "auto-confirm": _auto_confirm,
    "fail": _fail,
    "null": _null,
    "drop-envelope": _drop_envelope,
    "string-flag": _string_flag,
    "slow": _slow,
}


def arn(name: str, region: str = REGION) -> str:
    return f"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}"


@dataclass(frozen=True)
class Received:
    """One invocation as the function saw it."""

    name: str
    event: dict[str, Any]
    headers: dict[str, str]


class _Recorder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: list[Received] = []
        self.server: ThreadingHTTPServer | None = None
        self.port = free_port()

    def record(self, received: Received) -> None:
        with self._lock:
            self._seen.append(received)

    def events(self, pool_id: str, name: str | None = None) -> list[dict[str, Any]]:
        """Events of `pool_id` (to function `name`), oldest first."""
        with self._lock:
            return [
                r.event
                for r in self._seen
                if r.event.get("userPoolId") == pool_id and name in (None, r.name)
            ]

    def calls(self, pool_id: str) -> list[Received]:
        with self._lock:
            return [r for r in self._seen if r.event.get("userPoolId") == pool_id]

    def start(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


class HookServer(_Recorder):
    """POST /<name>: the event in, the (changed) event out; a function error is answered
    with X-Amz-Function-Error and Lambda's error object, as the hook protocol says."""

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def start_serving(self) -> None:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                name = self.path.strip("/")
                event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                recorder.record(Received(name, copy.deepcopy(event), dict(self.headers.items())))
                payload, error = BEHAVIOURS[name](event)
                body = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                if error is not None:
                    self.send_header("X-Amz-Function-Error", "Unhandled")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.start(Handler)


_INVOKE = re.compile(r"^/2015-03-31/functions/([^/?]+)/invocations(?:\?.*)?$")
# what a SigV4 Authorization header for Lambda in REGION looks like
_SIGV4 = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(\w+)/\d{8}/([\w-]+)/lambda/aws4_request, "
    r"SignedHeaders=[\w;-]+, Signature=[0-9a-f]{64}$"
)


class LambdaApi(_Recorder):
    """The Lambda Invoke REST API: POST /2015-03-31/functions/{name}/invocations. An
    unsigned call, or one signed for another service, is refused as Lambda refuses it; an
    unknown function is ResourceNotFoundException; a function error is a 200 with
    X-Amz-Function-Error: Unhandled."""

    access_key = "AKIDTRIGGERTESTS"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_serving(self) -> None:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                match = _INVOKE.match(self.path)
                if match is None:
                    self._answer(
                        404,
                        {"Type": "User", "message": "Unknown path"},
                        error_type="ResourceNotFoundException",
                    )
                    return
                signed = _SIGV4.match(self.headers.get("Authorization", ""))
                if signed is None or signed.group(1) != recorder.access_key:
                    self._answer(
                        403,
                        {"message": "The security token included in the request is invalid."},
                        error_type="UnrecognizedClientException",
                    )
                    return
                name = match.group(1)
                event = json.loads(body)
                recorder.record(Received(name, copy.deepcopy(event), dict(self.headers.items())))
                if name not in BEHAVIOURS:
                    self._answer(
                        404,
                        {"Type": "User", "message": f"Function not found: {name}"},
                        error_type="ResourceNotFoundException",
                    )
                    return
                payload, error = BEHAVIOURS[name](event)
                self._answer(200, payload, function_error="Unhandled" if error else None)

            def _answer(
                self,
                status: int,
                payload: Any,
                *,
                error_type: str | None = None,
                function_error: str | None = None,
            ) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if error_type:
                    self.send_header("x-amzn-ErrorType", error_type)
                if function_error:
                    self.send_header("X-Amz-Function-Error", function_error)
                self.send_header("X-Amz-Executed-Version", "$LATEST")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.start(Handler)

    def signed_region(self, received: Received) -> str:
        match = _SIGV4.match(received.headers.get("Authorization", ""))
        assert match is not None, received.headers
        return match.group(2)
