"""A real server reached by a prefix domain's host name over https: the self-signed
certificate covers `*.auth.<region>.localhost`, and the Host picks the domain."""

from __future__ import annotations

import ssl
from pathlib import Path

import boto3
import httpx

from tests.api.support import StartServer

DOMAIN_HOST = "auth-demo.auth.us-east-1.localhost"


def test_prefix_domain_host_over_self_signed_https(
    private_server: StartServer, tmp_path: Path
) -> None:
    server = private_server(tmp_path, extra_args=["--tls-self-signed"])
    cert = tmp_path / "tls" / "cert.pem"
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=server.base_url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        verify=str(cert),
    )
    pool_id = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
    cognito.create_user_pool_domain(Domain="auth-demo", UserPoolId=pool_id)
    port = server.base_url.rsplit(":", 1)[1]
    trusted = ssl.create_default_context(cafile=str(cert))

    def get(host: str) -> httpx.Response:
        # connect to 127.0.0.1 while TLS and Host name the domain, as a browser resolving
        # *.localhost to loopback does
        with httpx.Client(verify=trusted) as client:
            request = client.build_request(
                "GET",
                f"https://127.0.0.1:{port}/oauth2/authorize",
                headers={"Host": f"{host}:{port}"},
                extensions={"sni_hostname": host},
            )
            return client.send(request)

    known = get(DOMAIN_HOST)  # verified against the domain's name: the certificate covers it
    assert known.text != "No such domain."  # reached the domain's routes
    unknown = get("other.auth.us-east-1.localhost")
    assert (unknown.status_code, unknown.text) == (404, "No such domain.")
