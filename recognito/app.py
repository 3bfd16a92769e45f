"""Assembles the ASGI app: store, keys, delivery, operations, routes."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import anyio
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from recognito import seed
from recognito.api import operations
from recognito.clock import Clock, ShiftedClock, SystemClock
from recognito.config import Settings
from recognito.crypto.at_rest import MasterKeyError, sealed_kid
from recognito.crypto.certificates import Certificate, self_signed
from recognito.crypto.passwords import use_profile
from recognito.delivery.channel import Channel
from recognito.delivery.outbox import Deliverer
from recognito.delivery.sms_webhook import SmsWebhookChannel
from recognito.delivery.smtp import SmtpChannel
from recognito.logs import json_handler
from recognito.protocol.admin_calls import AdminCalls
from recognito.protocol.cors import Cors
from recognito.protocol.http import Dispatcher
from recognito.service.context import Services
from recognito.service.keys import KeyRing
from recognito.service.test_controls import TestControls
from recognito.service.user_imports import ImportRunner
from recognito.store.db import Store, migrate, open_engine, sqlite_url
from recognito.store.housekeeping import INTERVAL, purge_expired
from recognito.store.master_key import master_key
from recognito.store.sealing import DIGEST_KEY, reseal
from recognito.triggers import Triggers
from recognito.web import console, oauth, pages, saml, test_api, user_imports
from recognito.web.connections import GuardedHttpProtocol
from recognito.web.domains import DomainRouter
from recognito.web.scrape import metrics_routes
from recognito.web.wellknown import WellKnown

log = logging.getLogger("recognito")


def channels(settings: Settings) -> dict[str, Channel]:
    found: dict[str, Channel] = {}
    if settings.smtp_url:
        found["email"] = SmtpChannel(settings.smtp_url, settings.email_from)
    if settings.sms_webhook_url:
        found["sms"] = SmsWebhookChannel(settings.sms_webhook_url)
    return found


def open_store(settings: Settings, *, migrated: bool = False) -> Engine:
    """The settings' database, its schema brought up to date unless that was done."""
    engine = open_engine(settings.database_url or sqlite_url(settings.data_dir))
    if not migrated:
        migrate(engine)
    return engine


def open_sealed_store(settings: Settings, *, migrated: bool = False) -> Store:
    """The settings' store, able to read and write its sealed secrets; MasterKeyError
    when the master key is missing or not the database's."""
    engine = open_store(settings, migrated=migrated)
    try:
        return Store(engine, key=master_key(settings, engine))
    except MasterKeyError:
        engine.dispose()
        raise


def instance_secret(store: Store) -> bytes:
    """The key of every digest we store; made on first start, shared by all nodes, and
    stored sealed with the master key. A database from before secrets at rest has its
    secrets sealed here, once: its digest key, still plaintext, says so, and is sealed
    last, in the same transaction (held locked, so concurrent starts do it once)."""
    sealed = 0
    with store.write() as tx:
        stored = tx.meta.value(DIGEST_KEY, lock=True)
        if stored is not None and sealed_kid(stored) is None:
            sealed = reseal(tx.conn, store.vault.key)
        key = bytes.fromhex(tx.meta.secret_or_set(DIGEST_KEY, secrets.token_hex(32)))
    if sealed:
        store.scrub()  # the plaintext must not linger in the file's free pages
        log.info("sealed %d secrets stored in the clear with the master key", sealed)
    return key


def build_services(
    settings: Settings, clock: Clock | None = None, *, migrated: bool = False
) -> tuple[Services, Deliverer]:
    controls = None
    if settings.test_api:  # the test API moves this clock (web/test_api.py)
        shifted = ShiftedClock()
        controls, clock = TestControls(shifted), shifted
    clock = clock or SystemClock()
    use_profile(settings.password_hashing)
    store = open_sealed_store(settings, migrated=migrated)
    triggers = Triggers(settings, store, clock)  # a bad --triggers file stops the start
    # the custom senders' events are outbox rows too, invoked by the delivery thread
    routes = channels(settings) | triggers.channels()
    deliverer = Deliverer(store, clock, routes, settings.delivery_attempts, settings.delivery_lease)
    store.on_commit = deliverer.wake
    services = Services(
        store,
        clock,
        KeyRing(store),
        settings,
        instance_secret(store),
        triggers,
        controls=controls,
    )
    return services, deliverer


@dataclass(frozen=True)
class TlsFiles:
    cert: Path
    key: Path
    fingerprint: str | None = None  # of a certificate made here, for the operator to check


def tls_files(settings: Settings) -> TlsFiles | None:
    """The certificate and key https is served with: the operator's, or with
    --tls-self-signed one kept in the data folder, made again when it no longer covers
    the names this server answers to or is about to expire."""
    if settings.tls_cert or settings.tls_key:
        if not (settings.tls_cert and settings.tls_key):
            raise ValueError("--tls-cert and --tls-key go together")
        for path in (settings.tls_cert, settings.tls_key):
            if not path.is_file():
                raise ValueError(f"{path} is not a file")
        return TlsFiles(settings.tls_cert, settings.tls_key)
    if not settings.tls_self_signed:
        return None
    folder = settings.data_dir / "tls"
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    names = ["localhost", "127.0.0.1", "::1"]
    # the prefix domains of --region under --domain-suffix (web/domains.py), for browsers
    # reaching https://<prefix>.auth.<region>.localhost
    extra = [
        settings.host,
        urlsplit(settings.public_url or "").hostname,
        f"*.auth.{settings.region}.{settings.domain_suffix}",
    ]
    names += [n for n in extra if n and n not in names and n not in ("0.0.0.0", "::")]
    kept = None
    if cert_path.is_file() and key_path.is_file():
        kept = Certificate(cert_path.read_bytes(), key_path.read_bytes())
    if kept is None or not kept.covers(names, datetime.now(UTC)):
        kept = self_signed(names)
        folder.mkdir(parents=True, exist_ok=True)
        key_path.touch(mode=0o600)
        key_path.write_bytes(kept.key_pem)
        cert_path.write_bytes(kept.cert_pem)
    return TlsFiles(cert_path, key_path, kept.fingerprint)


# How `recognito serve` hands its settings to the worker processes uvicorn starts
WORKER_SETTINGS = "RECOGNITO_WORKER_SETTINGS"


def configure_logging(settings: Settings) -> None:
    if settings.log_format == "json":
        # force: uvicorn's loggers propagate here, and nothing else may write plain lines
        logging.basicConfig(level=settings.log_level.upper(), handlers=[json_handler()], force=True)
    else:
        logging.basicConfig(
            level=settings.log_level.upper(),
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
    logging.getLogger("alembic").setLevel(logging.WARNING)  # migrations speak only on trouble
    # the Encryption SDK logs each data key it makes (custom senders): only trouble here
    logging.getLogger("aws_encryption_sdk").setLevel(logging.WARNING)
    # httpx logs every URL it calls: a Facebook code redeemed by GET carries the client
    # secret in its query (signin/upstream.py)
    logging.getLogger("httpx").setLevel(logging.WARNING)


def worker_app() -> ASGIApp:
    """The app of one server process, built from the settings `serve` left for it."""
    settings = Settings.from_json(os.environ[WORKER_SETTINGS])
    configure_logging(settings)
    GuardedHttpProtocol.configure(settings)
    services, deliverer = build_services(settings, migrated=True)  # `serve` migrated first
    deliverer.start()  # also sends what an earlier process left queued
    importer = ImportRunner(services.store, services.clock)
    importer.start()  # also resumes a job an earlier process left
    services = replace(services, wake_imports=importer.wake)
    return create_app(services, deliverer, importer)


def create_app(
    services: Services, deliverer: Deliverer | None = None, importer: ImportRunner | None = None
) -> ASGIApp:
    dispatcher = Dispatcher(services, operations())
    well_known = WellKnown(services)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_housekeeping, services)
            yield
            # anyio's cancellation lets a purge under way finish its transaction first
            tasks.cancel_scope.cancel()
        if importer is not None:
            await run_in_threadpool(importer.close)  # after its batch; resumed elsewhere
        if deliverer is not None:
            await run_in_threadpool(deliverer.close)  # what was committed goes out first

    testing = (
        test_api.routes(services, _reseeder(services)) if services.controls is not None else []
    )
    web = Starlette(
        lifespan=lifespan,
        # public operations and web routes are open to every origin, admin ones to none
        middleware=[Middleware(Cors)],
        routes=[
            Route("/health", well_known.health, methods=["GET"]),
            *metrics_routes(services.settings),
            *user_imports.routes(services),
            Route("/{pool_id}/.well-known/jwks.json", well_known.jwks, methods=["GET"]),
            Route(
                "/{pool_id}/.well-known/openid-configuration",
                well_known.openid_configuration,
                methods=["GET"],
            ),
            *(
                [
                    Route(
                        "/{pool_id}/.well-known/oauth-authorization-server",
                        well_known.openid_configuration,
                        methods=["GET"],
                    )
                ]
                if services.settings.discovery_pkce
                else []
            ),
            *testing,
        ],
    )

    # the admin console, outside the CORS middleware: no other origin may read its pages
    admin_console = Router(console.routes(services, AdminCalls(dispatcher)))

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        # API calls (POST /) go straight to the dispatcher, which answers every outcome
        # itself, CORS included; everything else (preflights, GET routes, lifespan) to
        # the web app
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == "/":
            await dispatcher(scope, receive, send)
        elif scope["type"] == "http" and (
            scope["path"] == console.PREFIX or scope["path"].startswith(console.PREFIX + "/")
        ):
            await admin_console(scope, receive, send)
        else:
            await web(scope, receive, send)

    # requests for a user pool domain (path /_domain/<domain>/..., or its Host) go to the
    # domain routes, the rest as above (web/domains.py)
    domain_routes: list[BaseRoute] = [
        *oauth.routes(services),
        *pages.routes(services),
        *saml.routes(services),
    ]
    return DomainRouter(services, domain_routes, app)


def _reseeder(services: Services) -> test_api.Reseed | None:
    """The test API's reset applies the server's --seed file again: all of it, or the
    blocks of the one pool reset (by its Id, else its name)."""
    seed_file = services.settings.seed
    if seed_file is None:
        return None

    def reseed(pool_id: str | None) -> list[str]:
        blocks = seed.load(seed_file)
        if pool_id is not None:
            with services.store.read() as tx:
                pool = tx.pools.get(pool_id)
            name = pool.name if pool is not None else None
            blocks = [
                b
                for b in blocks
                if b.pool_id == pool_id or (b.pool_id is None and b.request["PoolName"] == name)
            ]
        return seed.apply(services, blocks)

    return reseed


async def _housekeeping(services: Services) -> None:
    while True:
        try:
            await run_in_threadpool(purge_expired, services.store, services.clock.now())
            await run_in_threadpool(_scheduled_rotation, services)
        except Exception:  # a failed purge must not stop the next one; it is logged
            log.exception("housekeeping failed")
        await anyio.sleep(INTERVAL)


def _scheduled_rotation(services: Services) -> None:
    settings = services.settings
    if settings.key_rotation_days > 0:
        every = settings.key_rotation_days * 86400
        for pool_id in services.keys.rotate_due(
            services.clock.now(), every, settings.key_publish_delay
        ):
            log.info("rotated the signing keys of %s (scheduled)", pool_id)
