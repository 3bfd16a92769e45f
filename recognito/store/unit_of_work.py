"""One unit of work per operation: the transaction, a repository per area over it, the
messages queued for delivery after COMMIT, and the error to answer with after COMMIT.

    Store.read() / Store.write()  ->  UnitOfWork
                                        .pools .clients .users .password_history
                                        .mfa .groups .codes .sessions .grants .authorization_codes
                                        .counters
                                        .keys .outbox .meta .events .risk .log_delivery .triggers
                                        .domains .resource_servers .browser_sessions
                                        .federation_states .saml_certificates .saml_assertions
                                        .identity_providers .provider_links .devices
                                        .passkeys
                                        .session_configurations

Repositories take and return the records of `recognito.domain.records`; nothing here
knows Cognito's rules. Secrets are sealed on their way in and opened on their way out
(`sealing.Vault`): above the store they are plaintext, in the database never.
Conditional updates (`... WHERE used_at IS NULL`) make single-use things single-use under
concurrent requests, and what is counted (a code's wrong tries, sign-in failures, calls
under a cap) is read with `lock=True` in the write transaction that changes it: a row
lock on PostgreSQL, so requests on any node count one after another (SQLite serializes
writers already, with BEGIN IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from recognito.store.repositories.authorization_codes import AuthorizationCodeRepository
from recognito.store.repositories.branding import (
    ManagedLoginBrandingRepository,
    TermsRepository,
    UICustomizationRepository,
)
from recognito.store.repositories.browser_sessions import BrowserSessionRepository
from recognito.store.repositories.cimd import CIMDPolicyRepository, ClientMetadataURLRepository
from recognito.store.repositories.codes import CodeRepository
from recognito.store.repositories.counters import CounterRepository
from recognito.store.repositories.devices import DeviceRepository
from recognito.store.repositories.domains import DomainRepository, ResourceServerRepository
from recognito.store.repositories.events import (
    EventRepository,
    LogDeliveryRepository,
    RiskConfigurationRepository,
)
from recognito.store.repositories.federation_states import FederationStateRepository
from recognito.store.repositories.grants import GrantRepository
from recognito.store.repositories.groups import GroupRepository
from recognito.store.repositories.identity_providers import (
    IdentityProviderRepository,
    ProviderLinkRepository,
)
from recognito.store.repositories.keys import KeyRepository
from recognito.store.repositories.meta import MetaRepository
from recognito.store.repositories.mfa import MfaRepository
from recognito.store.repositories.outbox import OutboxRepository
from recognito.store.repositories.passkeys import PasskeyRepository
from recognito.store.repositories.pools import ClientRepository, PoolRepository
from recognito.store.repositories.saml import SamlAssertionRepository, SamlCertificateRepository
from recognito.store.repositories.session_configurations import SessionConfigurationRepository
from recognito.store.repositories.sessions import SessionRepository
from recognito.store.repositories.triggers import TriggerLogRepository
from recognito.store.repositories.user_imports import UserImportRepository
from recognito.store.repositories.users import PasswordHistoryRepository, UserRepository
from recognito.store.sealing import Vault


class UnitOfWork:
    def __init__(self, conn: Connection, vault: Vault) -> None:
        self.conn = conn
        self.queued_messages: list[int] = []
        self.answer_after_commit: Exception | None = None
        self.meta = MetaRepository(conn, vault)
        self.pools = PoolRepository(conn)
        self.clients = ClientRepository(conn, vault)
        self.users = UserRepository(conn, vault)
        self.password_history = PasswordHistoryRepository(conn)
        self.mfa = MfaRepository(conn, vault)
        self.groups = GroupRepository(conn, vault)
        self.codes = CodeRepository(conn)
        self.sessions = SessionRepository(conn)
        self.grants = GrantRepository(conn)
        self.authorization_codes = AuthorizationCodeRepository(conn)
        self.counters = CounterRepository(conn)
        self.keys = KeyRepository(conn, vault)
        self.outbox = OutboxRepository(conn, self.queued_messages)
        self.events = EventRepository(conn)
        self.risk = RiskConfigurationRepository(conn)
        self.log_delivery = LogDeliveryRepository(conn)
        self.triggers = TriggerLogRepository(conn)
        self.domains = DomainRepository(conn)
        self.resource_servers = ResourceServerRepository(conn)
        self.browser_sessions = BrowserSessionRepository(conn)
        self.federation_states = FederationStateRepository(conn)
        self.saml_certificates = SamlCertificateRepository(conn, vault)
        self.saml_assertions = SamlAssertionRepository(conn)
        self.identity_providers = IdentityProviderRepository(conn, vault)
        self.provider_links = ProviderLinkRepository(conn)
        self.ui_customizations = UICustomizationRepository(conn)
        self.managed_login_brandings = ManagedLoginBrandingRepository(conn)
        self.terms = TermsRepository(conn)
        self.cimd_policies = CIMDPolicyRepository(conn)
        self.cimd_urls = ClientMetadataURLRepository(conn)
        self.devices = DeviceRepository(conn, vault)
        self.passkeys = PasskeyRepository(conn)
        self.session_configurations = SessionConfigurationRepository(conn)
        self.user_imports = UserImportRepository(conn)
        # run once the transaction committed (activity log lines: nothing rolled back
        # is ever written)
        self.after_commit: list[Callable[[], None]] = []

    def fail_after_commit(self, error: Exception) -> None:
        """Keep what this transaction wrote, then answer with `error`."""
        self.answer_after_commit = error

    def ping(self) -> bool:
        return self.conn.exec_driver_sql("SELECT 1").scalar() == 1
