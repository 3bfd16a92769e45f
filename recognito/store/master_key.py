"""Where the master key comes from, and whether it is the one the database needs.

RECOGNITO_MASTER_KEY (the key itself, base64) or --master-key-file; with neither, the
developer default (SQLite) keeps one in the data folder, made on first start. PostgreSQL
has no default: its database is shared and backed up apart from any one machine, so
the key must be given. The database records no key, only the kid of the key that sealed
its digest key, which is how a wrong or missing key is told apart from a fresh start.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, select

from recognito.config import Settings
from recognito.crypto.at_rest import MasterKey, MasterKeyError, sealed_kid
from recognito.store.sealing import DIGEST_KEY
from recognito.store.tables import meta

VARIABLE = "RECOGNITO_MASTER_KEY"
DEFAULT_NAME = "master.key"
HOW = (
    "give it with --master-key-file FILE or RECOGNITO_MASTER_KEY (base64 of 32 random "
    "bytes, e.g. `head -c 32 /dev/urandom | base64`)"
)


def key_file(settings: Settings) -> Path | None:
    """The file the key is kept in; None when RECOGNITO_MASTER_KEY carries it."""
    if os.environ.get(VARIABLE):
        return None
    if settings.master_key_file is not None:
        return settings.master_key_file
    return settings.data_dir / DEFAULT_NAME if settings.database_url is None else None


def configured(settings: Settings) -> MasterKey | None:
    """The key the settings name, if it exists."""
    given = os.environ.get(VARIABLE)
    if given and settings.master_key_file is not None:
        raise MasterKeyError(f"give the master key once: {VARIABLE} or --master-key-file")
    if given:
        try:
            return MasterKey.from_text(given)
        except MasterKeyError as exc:
            raise MasterKeyError(f"{VARIABLE}: {exc}") from exc
    path = key_file(settings)
    if path is None or (settings.master_key_file is None and not path.exists()):
        return None
    return read_key(path)


def read_key(path: Path) -> MasterKey:
    try:
        return MasterKey.from_text(path.read_text())
    except OSError as exc:
        raise MasterKeyError(f"master key file {path}: {exc.strerror}") from exc
    except MasterKeyError as exc:
        raise MasterKeyError(f"master key file {path}: {exc}") from exc


def write_key(path: Path, key: MasterKey) -> None:
    """A new key file, readable by its owner only; never over an existing one
    (FileExistsError). Written aside and linked into place, so a process starting at the
    same moment reads a whole key or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(key.to_text() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(aside, path)
    finally:
        aside.unlink(missing_ok=True)


def sealed_with(engine: Engine) -> str | None:
    """The kid of the key the database's secrets are sealed with; None when none are
    (a new database, or one from before secrets at rest)."""
    with engine.connect() as conn:
        value = conn.execute(select(meta.c.value).where(meta.c.key == DIGEST_KEY)).scalar()
    return None if value is None else sealed_kid(value)


def master_key(settings: Settings, engine: Engine) -> MasterKey:
    """The key to seal and open the database's secrets with, checked against them."""
    needed = sealed_with(engine)
    key = configured(settings)
    if key is None:
        if settings.database_url is not None:
            raise MasterKeyError(f"PostgreSQL needs a master key: {HOW}")
        path = settings.data_dir / DEFAULT_NAME
        if needed is not None:
            raise MasterKeyError(
                f"the database's secrets are sealed with master key {needed} and {path} "
                f"is missing: restore it, or {HOW}"
            )
        try:
            write_key(path, MasterKey.generate())
        except FileExistsError:
            pass  # another process starting at once made it first
        key = read_key(path)
    if needed is not None and needed != key.kid:
        raise MasterKeyError(
            f"wrong master key: the database's secrets are sealed with master key {needed}, "
            f"the key given is {key.kid}{_interrupted(settings, needed)}"
        )
    return key


def pending_file(path: Path) -> Path:
    """Where `master-key rotate` keeps the new key until the database is re-sealed."""
    return path.with_name(path.name + ".new")


def _interrupted(settings: Settings, needed: str) -> str:
    path = key_file(settings)
    pending = pending_file(path) if path is not None else None
    if pending is not None and pending.exists() and read_key(pending).kid == needed:
        return f"; an interrupted `master-key rotate` left it in {pending}: move it to {path}"
    return ""
