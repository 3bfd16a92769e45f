"""Lambda triggers: the pool's LambdaConfig names a function per trigger; this package
builds Cognito's event, reaches the function (Lambda Invoke API, HTTP hook or in-process
callable), judges its answer, maps failures to Cognito's errors and records each call.

It runs no database transaction of its own while a function runs: callers read, leave
their transaction, run the trigger, then write (docs/behaviour.md, "Lambda triggers").
"""

from recognito.triggers.events import CLIENT_ID_NOT_APPLICABLE, Call, sdk_version, user_attributes
from recognito.triggers.runner import Triggers

__all__ = ["CLIENT_ID_NOT_APPLICABLE", "Call", "Triggers", "sdk_version", "user_attributes"]
