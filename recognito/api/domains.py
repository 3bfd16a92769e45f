"""User pool domains: CreateUserPoolDomain, DescribeUserPoolDomain,
UpdateUserPoolDomain, DeleteUserPoolDomain.

A pool holds at most one prefix domain and one custom domain. Domain names are unique
across the instance (Cognito: per region); requests reach a domain's endpoints by name
(web/domains.py)."""

from __future__ import annotations

from dataclasses import replace

from recognito import errors
from recognito.domain import pool_domains
from recognito.domain.pools import ACCOUNT
from recognito.domain.records import UserPoolDomain
from recognito.service.context import Services
from recognito.service.lookups import pool_or_error
from recognito.service.registry import operation
from recognito.shapes import (
    CreateUserPoolDomainRequest,
    CreateUserPoolDomainResponse,
    DeleteUserPoolDomainRequest,
    DeleteUserPoolDomainResponse,
    DescribeUserPoolDomainRequest,
    DescribeUserPoolDomainResponse,
    DomainDescriptionType,
    UpdateUserPoolDomainRequest,
    UpdateUserPoolDomainResponse,
)
from recognito.store.unit_of_work import UnitOfWork

# [U] Cognito's words for a domain the pool does not have (Update, Delete)
NO_SUCH_DOMAIN = "No such domain or user pool exists."


@operation("CreateUserPoolDomain")
def create_user_pool_domain(
    svc: Services, req: CreateUserPoolDomainRequest
) -> CreateUserPoolDomainResponse:
    name, pool_id = req["Domain"], req["UserPoolId"]
    certificate = req.get("CustomDomainConfig", {}).get("CertificateArn")
    version = req.get("ManagedLoginVersion", pool_domains.DEFAULT_MANAGED_LOGIN_VERSION)
    now = svc.clock.now()
    domain = UserPoolDomain(
        domain=name,
        pool_id=pool_id,
        custom=certificate is not None,
        certificate_arn=certificate,
        managed_login_version=version,
        cloudfront=pool_domains.cloudfront_name(),
        version=pool_domains.version_stamp(now),
        created_at=now,
    )
    with svc.store.write() as tx:
        pool_or_error(tx, pool_id)
        _check_form(domain)
        if not tx.domains.insert(domain):
            # the name is taken, or the pool has a domain of this kind (it may have been
            # made by a request running at the same time: asked again after the refusal)
            if any(d.custom == domain.custom for d in tx.domains.of_pool(pool_id)):
                raise errors.InvalidParameterException("User pool already has a domain configured.")
            raise errors.InvalidParameterException(
                "Domain already associated with another user pool."
            )
    return _created(domain)


@operation("DescribeUserPoolDomain")
def describe_user_pool_domain(
    svc: Services, req: DescribeUserPoolDomainRequest
) -> DescribeUserPoolDomainResponse:
    """An unknown domain is no error: `{"DomainDescription": {}}` (tools ask this to see
    whether a name is free)."""
    with svc.store.read() as tx:
        domain = tx.domains.get(req["Domain"])
    if domain is None:
        return {"DomainDescription": {}}
    description: DomainDescriptionType = {
        "UserPoolId": domain.pool_id,
        "AWSAccountId": ACCOUNT,
        "Domain": domain.domain,
        "S3Bucket": pool_domains.s3_bucket(pool_domains.region_of(domain.pool_id)),
        "CloudFrontDistribution": domain.cloudfront,
        "Version": domain.version,
        "Status": "ACTIVE",
    }
    if domain.certificate_arn is not None:
        description["CustomDomainConfig"] = {"CertificateArn": domain.certificate_arn}
    if domain.managed_login_version is not None:
        description["ManagedLoginVersion"] = domain.managed_login_version
    return {"DomainDescription": description}


@operation("UpdateUserPoolDomain")
def update_user_pool_domain(
    svc: Services, req: UpdateUserPoolDomainRequest
) -> UpdateUserPoolDomainResponse:
    """Changes a domain's certificate (custom) or managed login version; never its name
    nor its kind. An omitted ManagedLoginVersion keeps the current one."""
    certificate = req.get("CustomDomainConfig", {}).get("CertificateArn")
    with svc.store.write() as tx:
        domain = _domain_or_error(tx, req["UserPoolId"], req["Domain"])
        if domain.custom and certificate is None:
            raise errors.InvalidParameterException("Cannot convert custom domain to prefix domain.")
        if not domain.custom and certificate is not None:
            raise errors.InvalidParameterException("Cannot convert prefix domain to custom domain.")
        domain = replace(
            domain,
            certificate_arn=certificate,
            managed_login_version=req.get("ManagedLoginVersion", domain.managed_login_version),
            version=pool_domains.version_stamp(svc.clock.now()),
        )
        _check_form(domain)
        tx.domains.update(domain)
    return _created(domain)


@operation("DeleteUserPoolDomain")
def delete_user_pool_domain(
    svc: Services, req: DeleteUserPoolDomainRequest
) -> DeleteUserPoolDomainResponse:
    with svc.store.write() as tx:
        domain = _domain_or_error(tx, req["UserPoolId"], req["Domain"])
        tx.domains.delete(domain.domain)
    return {}


def _check_form(domain: UserPoolDomain) -> None:
    if domain.certificate_arn is None:
        pool_domains.check_prefix(domain.domain)
    else:
        pool_domains.check_custom(domain.domain, domain.certificate_arn)
    if domain.managed_login_version is not None:
        pool_domains.check_managed_login_version(domain.managed_login_version)


def _domain_or_error(tx: UnitOfWork, pool_id: str, name: str) -> UserPoolDomain:
    pool_or_error(tx, pool_id)
    domain = tx.domains.get(name)
    if domain is None or domain.pool_id != pool_id:
        raise errors.InvalidParameterException(NO_SUCH_DOMAIN)
    return domain


def _created(domain: UserPoolDomain) -> CreateUserPoolDomainResponse:
    answer: CreateUserPoolDomainResponse = {}
    if domain.managed_login_version is not None:
        answer["ManagedLoginVersion"] = domain.managed_login_version
    if domain.custom:
        answer["CloudFrontDomain"] = domain.cloudfront
    return answer
