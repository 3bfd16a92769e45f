"""Issuing and spending one-time codes, and the messages that carry them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from recognito import errors
from recognito.crypto.secrets import digest, numeric_code
from recognito.domain import messages, pools
from recognito.domain.attributes import DELIVERY_MEDIUM, EMAIL_FORMAT, PHONE_FORMAT, VERIFIABLE
from recognito.domain.codes import (
    DIGITS,
    EXPIRED,
    LIFETIME,
    Purpose,
    check_code,
    failures_carried,
    mismatch,
)
from recognito.domain.masking import delivery_details
from recognito.domain.outgoing import SIMULATED, OutgoingMessage
from recognito.domain.records import Code, Pool, User
from recognito.service.context import Services
from recognito.service.limits import subject
from recognito.service.lookups import hold_name, holders, sign_in_attributes
from recognito.shapes import CodeDeliveryDetailsType
from recognito.store.unit_of_work import UnitOfWork
from recognito.triggers import Call, user_attributes
from recognito.triggers.events import metadata
from recognito.triggers.senders import SENDERS, Origin


def send_code(
    svc: Services,
    tx: UnitOfWork,
    pool: Pool,
    user: User,
    purpose: Purpose,
    attribute: str,
    pending: str | None = None,
    *,
    origin: Origin,
    text: Callable[[str], messages.Text] | None = None,
    lifetime: float | None = None,
) -> CodeDeliveryDetailsType:
    """Issue a fresh code, queue its message, return the CodeDeliveryDetails.

    With `pending` the code goes to that new value, which takes effect once verified.
    The message is the pool's verification template unless `text` makes another; a pool
    with a custom sender for the channel has its function get the code instead (`origin`
    says what the sender's event reports).
    """
    code = _issue(svc, tx, user.sub, purpose, pending, lifetime)
    destination = pending or user.attributes[attribute]
    if svc.triggers.sender(pool, channel_of(attribute)) is not None:
        # the function delivers to the attribute: the pending value, when there is one
        shown = {**user_attributes(user), attribute: destination}
        _queue_for_sender(svc, tx, pool, user, attribute, destination, code, purpose, origin, shown)
        return delivery_details(attribute, destination)
    if text is None:
        message = messages.verification(pool.config, DELIVERY_MEDIUM[attribute], code)
    else:
        message = text(code)
    queue_message(svc, tx, pool, attribute, destination, message, kind=purpose)
    return delivery_details(attribute, destination)


def channel_of(attribute: str) -> Literal["email", "sms"]:
    """The channel a message to `attribute` (email, phone_number) goes by."""
    return "email" if attribute == "email" else "sms"


def _queue_for_sender(
    svc: Services,
    tx: UnitOfWork,
    pool: Pool,
    user: User,
    attribute: str,
    recipient: str,
    secret: str,
    kind: str,
    origin: Origin,
    attributes: dict[str, str],
    *,
    temporary_password: bool = False,
) -> None:
    request = metadata(
        {"userAttributes": attributes},
        dict(origin.client_metadata) if origin.client_metadata is not None else None,
    )
    channel = channel_of(attribute)
    trigger = SENDERS[channel]
    source = f"{trigger}_{origin.source}"
    call = Call(trigger, source, user.username, origin.client_id, svc.caller.user_agent, request)
    message = svc.triggers.sender_message(
        pool,
        channel,
        call,
        secret,
        recipient,
        kind,
        temporary_password=temporary_password,
    )
    tx.outbox.enqueue(message, svc.clock.now())


def queue_invitation(
    svc: Services,
    tx: UnitOfWork,
    pool: Pool,
    user: User,
    attribute: str,
    password: str,
    text: messages.Text | None,
    origin: Origin,
) -> None:
    """The invitation with a temporary password to `attribute`: to the channel's custom
    sender (the password HTML-escaped, then encrypted), else `text` (None: the pool's
    template cannot carry the password, and nothing is sent)."""
    recipient = user.attributes[attribute]
    if svc.triggers.sender(pool, channel_of(attribute)) is not None:
        _queue_for_sender(
            svc,
            tx,
            pool,
            user,
            attribute,
            recipient,
            password,
            "invitation",
            origin,
            user_attributes(user),
            temporary_password=True,
        )
    elif text is not None:
        queue_message(svc, tx, pool, attribute, recipient, text, kind="invitation")


def _issue(
    svc: Services,
    tx: UnitOfWork,
    whom: str,
    purpose: Purpose,
    pending: str | None = None,
    lifetime: float | None = None,
) -> str:
    """Store a new code for `whom` (it replaces the last one) and return it."""
    code = numeric_code(DIGITS.get(purpose, 6))
    now = svc.clock.now()
    # the count carried over is read under the row's lock, so a wrong try being judged
    # meanwhile is not lost; the write replaces whatever a concurrent issuer stored
    previous = tx.codes.get(whom, purpose, lock=True)
    tx.codes.put(
        Code(
            subject=whom,
            purpose=purpose,
            digest=digest(svc.secret_key, code),
            expires_at=now + (lifetime or LIFETIME[purpose]),
            failed_attempts=failures_carried(previous, now),
            issued_at=now,
            pending_value=pending,
        )
    )
    return code


def queue_message(
    svc: Services,
    tx: UnitOfWork,
    pool: Pool,
    attribute: str,
    recipient: str,
    text: messages.Text,
    kind: str,
) -> None:
    tx.outbox.enqueue(
        OutgoingMessage(channel_of(attribute), recipient, text.subject, text.body, pool.id, kind),
        svc.clock.now(),
    )


def accept_code(
    svc: Services,
    tx: UnitOfWork,
    whom: str,
    purpose: Purpose,
    given: str,
    wrong: Exception | None = None,
) -> Code | None:
    """Spend `whom`'s matching code and return it. A wrong one is counted and None
    returned; the transaction then commits and answers `wrong` (Cognito's
    CodeMismatchException).

    Expired, missing and exhausted codes raise Cognito's errors at once.
    """
    given_digest = digest(svc.secret_key, given)
    code = tx.codes.get(whom, purpose, lock=True)  # concurrent tries are judged one by one
    if not check_code(code, given_digest, svc.clock.now()):
        tx.codes.count_failure(whom, purpose)
        tx.fail_after_commit(wrong or mismatch())
        return None
    if not tx.codes.spend(whom, purpose, given_digest):
        raise errors.ExpiredCodeException(EXPIRED)  # a concurrent request spent it first
    return code


def refuse_code(svc: Services, tx: UnitOfWork, whom: str, purpose: Purpose, given: str) -> None:
    """A code given for a name that gets none (unknown, or disabled, to a client that
    hides who exists): judged against the code the name was "sent" (made now if it was
    never asked for), so its tries are counted, limited and expire as a real user's do;
    and even its right code unlocks nothing."""
    if tx.codes.get(whom, purpose) is None:
        _issue(svc, tx, whom, purpose)
    if accept_code(svc, tx, whom, purpose, given) is not None:
        tx.fail_after_commit(mismatch())


def claim_alias(tx: UnitOfWork, pool: Pool, user: User, attribute: str, force: bool) -> None:
    """Before `attribute` of `user` becomes a name they sign in with (stored as a username
    attribute or preferred_username alias, verified as an email/phone alias): it must name
    no other user, compared as the pool compares names.

    With `force` a verified email/phone alias moves: the other user's copy becomes
    unverified. Username attributes and preferred_username never move.
    """
    value = user.attributes.get(attribute)
    if not value or attribute not in sign_in_attributes(pool.config):
        return
    movable = force and attribute in VERIFIABLE and attribute in pools.alias_attributes(pool.config)
    hold_name(tx, pool, attribute, value)
    for other in holders(tx, pool, attribute, value):
        if other.id == user.id:
            continue
        if not movable:
            raise errors.AliasExistsException(f"An account with the {attribute} already exists.")
        tx.users.set_attributes(other.id, pool.id, {VERIFIABLE[attribute]: "false"})


def simulated_delivery(
    svc: Services, tx: UnitOfWork, pool: Pool, username: str, purpose: Purpose, attribute: str
) -> CodeDeliveryDetailsType:
    """CodeDeliveryDetails for a user who gets no code, when the client hides who exists.

    By `attribute`, where a real user of the pool would get it, to an address derived
    from the name (the name itself where it is one), stable so probing cannot tell the
    two apart. A code is issued all the same, for the name, so what follows (wrong tries,
    limits, expiry) goes as for a real user; the outbox records the message as
    "simulated", so an operator sees why nothing went out.
    """
    _issue(svc, tx, subject(svc, pool, None, username), purpose)  # nobody receives it
    seed = digest(svc.secret_key, f"{pool.id}\n{username}")
    if attribute == "email":
        address = username if EMAIL_FORMAT.fullmatch(username) else _letters(seed) + ".net"
    else:
        address = username if PHONE_FORMAT.fullmatch(username) else "+1" + str(int(seed, 16))[-10:]
    channel: Literal["email", "sms"] = "email" if attribute == "email" else "sms"
    note = f"Not sent: no user named {username!r} can receive a {purpose} code."
    message = OutgoingMessage(channel, username, None, note, pool.id, SIMULATED + purpose)
    tx.outbox.enqueue(message, svc.clock.now())
    return delivery_details(attribute, address)


def _letters(seed: str) -> str:
    """`x@y` made of two letters from a hex digest."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return f"{letters[int(seed[:2], 16) % 26]}@{letters[int(seed[2:4], 16) % 26]}"
