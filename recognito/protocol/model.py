"""botocore's cognito-idp service model, loaded once per process."""

from __future__ import annotations

from functools import cache

import botocore.session
from botocore.model import OperationModel, ServiceModel

SERVICE = "cognito-idp"


@cache
def service_model() -> ServiceModel:
    return botocore.session.get_session().get_service_model(SERVICE)


@cache
def operation_model(name: str) -> OperationModel | None:
    model = service_model()
    return model.operation_model(name) if name in model.operation_names else None


def target_prefix() -> str:
    return str(service_model().metadata["targetPrefix"])


def is_signed(model: OperationModel) -> bool:
    """Whether AWS clients sign this operation with IAM credentials (90 of the 122: the
    admin and management calls). The other 32 are public, as on Cognito."""
    return bool(model.auth_type != "none")
