"""botocore's cognito-idp service model, loaded once per process."""

from __future__ import annotations

from functools import cache

import botocore.session
from botocore.model import OperationModel, ServiceModel

SERVICE = "cognito-idp"


# Model constraints Cognito itself does not enforce as written, dropped before validation:
# DomainType's pattern has no dot, yet a custom domain is an FQDN; Cognito checks a
# prefix domain's form in the operation, with a message of its own (api/domains.py).
RELAXED = {"DomainType": ("pattern",)}


@cache
def service_model() -> ServiceModel:
    loader = botocore.session.get_session().get_component("data_loader")
    data = loader.load_service_model(SERVICE, "service-2")
    shapes = data["shapes"] = dict(data["shapes"])  # the loader's copy is cached: not in place
    for name, traits in RELAXED.items():
        shapes[name] = {k: v for k, v in shapes[name].items() if k not in traits}
    return ServiceModel(data, service_name=SERVICE)


@cache
def operation_model(name: str) -> OperationModel | None:
    model = service_model()
    return model.operation_model(name) if name in model.operation_names else None


def target_prefix() -> str:
    return str(service_model().metadata["targetPrefix"])


def is_signed(model: OperationModel) -> bool:
    """Whether AWS clients sign this operation with IAM credentials (119 of the 153: the
    admin and management calls). The other 34 are public, as on Cognito."""
    return bool(model.auth_type != "none")
