"""Plain helpers shared by the API tests; the fixtures that use them live in conftest.py.

Nothing here knows how Recognito is built: it starts `python -m recognito serve` as a
user would, catches what the server delivers (SMTP and an SMS webhook), and speaks to
it through boto3 and the AWS CLI (raw HTTP is in tests/api/wire.py).

names     fresh names, addresses and ports; the passwords, codes and masks tests expect
catchers  the SMTP and SMS webhook catchers and the Inbox over both
server    the `recognito serve` process
clients   boto3 and the AWS CLI, and the Cognito errors boto3 raises
records   App and User (what the factory fixtures make), SECRET_HASH
flows     password sign-in and refresh
users     reading a user back; attribute lists
tokens    JWKS and JWT checks
"""

from .catchers import EMAIL_FROM, Inbox, SmsCatcher, SmtpCatcher
from .clients import AwsCli, CliResult, cognito_error, open_boto_client
from .flows import USER_PASSWORD_FLOWS, password_auth, refresh, sign_in
from .names import (
    CODE_RE,
    NEW_PASSWORD,
    PASSWORD,
    POOL_ID_RE,
    TEMP_PASSWORD,
    UUID_RE,
    free_port,
    mask_email,
    mask_phone,
    new_email,
    new_phone,
    unique,
    wrong_code,
)
from .records import App, MakeClient, MakePool, MakeUser, User, secret_hash
from .server import REPO_ROOT, STARTED_SERVERS, ServerProcess, StartServer, server_env, start_server
from .tokens import fetch_jwks, unverified_claims, verify_jwt
from .users import (
    admin_attributes,
    admin_user,
    as_attributes,
    attributes,
    awaiting_reset,
    user_status,
)

__all__ = [
    # catchers
    "EMAIL_FROM",
    "Inbox",
    "SmsCatcher",
    "SmtpCatcher",
    # clients
    "AwsCli",
    "CliResult",
    "cognito_error",
    "open_boto_client",
    # flows
    "USER_PASSWORD_FLOWS",
    "password_auth",
    "refresh",
    "sign_in",
    # names
    "CODE_RE",
    "NEW_PASSWORD",
    "PASSWORD",
    "POOL_ID_RE",
    "TEMP_PASSWORD",
    "UUID_RE",
    "free_port",
    "mask_email",
    "mask_phone",
    "new_email",
    "new_phone",
    "unique",
    "wrong_code",
    # records
    "App",
    "MakeClient",
    "MakePool",
    "MakeUser",
    "User",
    "secret_hash",
    # server
    "REPO_ROOT",
    "STARTED_SERVERS",
    "ServerProcess",
    "StartServer",
    "server_env",
    "start_server",
    # tokens
    "fetch_jwks",
    "unverified_claims",
    "verify_jwt",
    # users
    "admin_attributes",
    "admin_user",
    "awaiting_reset",
    "as_attributes",
    "attributes",
    "user_status",
]
