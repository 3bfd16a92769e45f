"""Client ID Metadata Document (CIMD) policies: Create/Describe/List/Update/DeleteCIMDPolicy,
ListClientMetadataURLs and UpdateClientMetadataURLState.

A policy admits client_id URLs matching its patterns as public clients of its app client
(the OAuth endpoints resolve them through service/cimd.py)."""

from __future__ import annotations

import uuid
from dataclasses import replace

from recognito import errors
from recognito.domain import cimd as rules
from recognito.domain.cimd import CIMDRefused
from recognito.domain.records import CIMDPolicy, ClientMetadataURL
from recognito.service import cimd
from recognito.service.context import Services
from recognito.service.lookups import client_or_error, pool_or_error
from recognito.service.paging import cut, page
from recognito.service.registry import operation
from recognito.shapes import (
    CIMDPolicySummaryType,
    CIMDPolicyType,
    ClientMetadataURLType,
    CreateCIMDPolicyRequest,
    CreateCIMDPolicyResponse,
    DeleteCIMDPolicyRequest,
    DeleteCIMDPolicyResponse,
    DescribeCIMDPolicyRequest,
    DescribeCIMDPolicyResponse,
    ListCIMDPoliciesRequest,
    ListCIMDPoliciesResponse,
    ListClientMetadataURLsRequest,
    ListClientMetadataURLsResponse,
    UpdateCIMDPolicyRequest,
    UpdateCIMDPolicyResponse,
    UpdateClientMetadataURLStateRequest,
    UpdateClientMetadataURLStateResponse,
)
from recognito.store.unit_of_work import UnitOfWork

DEFAULT_PAGE = 60  # when MaxResults is omitted: the largest page


@operation("CreateCIMDPolicy")
def create_cimd_policy(svc: Services, req: CreateCIMDPolicyRequest) -> CreateCIMDPolicyResponse:
    patterns = list(req["URLPatterns"])
    rules.check_patterns(patterns)
    now = svc.clock.now()
    policy = CIMDPolicy(
        id=uuid.uuid4().hex,
        pool_id=req["UserPoolId"],
        client_id=req["ClientId"],
        name=req["PolicyName"],
        cache_duration=req.get("CacheDuration"),
        url_patterns=patterns,
        created=now,
        modified=now,
    )
    with svc.store.write() as tx:
        pool_or_error(tx, policy.pool_id)
        client_or_error(tx, policy.client_id, policy.pool_id)
        if tx.cimd_policies.count(policy.pool_id) >= rules.MAX_POLICIES:
            raise errors.LimitExceededException(
                f"A user pool can have at most {rules.MAX_POLICIES} CIMD policies."
            )
        tx.cimd_policies.insert(policy)
        return {"CIMDPolicy": _wire(tx, policy)}


@operation("DescribeCIMDPolicy")
def describe_cimd_policy(
    svc: Services, req: DescribeCIMDPolicyRequest
) -> DescribeCIMDPolicyResponse:
    with svc.store.read() as tx:
        policy = _policy_or_error(tx, req["UserPoolId"], req["CIMDPolicyId"])
        return {"CIMDPolicy": _wire(tx, policy)}


@operation("ListCIMDPolicies")
def list_cimd_policies(svc: Services, req: ListCIMDPoliciesRequest) -> ListCIMDPoliciesResponse:
    limit = req.get("MaxResults", DEFAULT_PAGE)
    with svc.store.read() as tx:
        pool_or_error(tx, req["UserPoolId"])
        found = tx.cimd_policies.page(req["UserPoolId"], page(req.get("NextToken")), limit + 1)
        items, token = cut(found, limit, lambda p: p.id)
        answer: ListCIMDPoliciesResponse = {"CIMDPolicies": [_summary(tx, p) for p in items]}
    if token is not None:
        answer["NextToken"] = token
    return answer


@operation("UpdateCIMDPolicy")
def update_cimd_policy(svc: Services, req: UpdateCIMDPolicyRequest) -> UpdateCIMDPolicyResponse:
    """A full replace, as Update operations are: an omitted CacheDuration is the default;
    the documents cached under the old settings are dropped, to be fetched anew."""
    patterns = list(req["URLPatterns"])
    rules.check_patterns(patterns)
    with svc.store.write() as tx:
        current = _policy_or_error(tx, req["UserPoolId"], req["CIMDPolicyId"])
        client_or_error(tx, req["ClientId"], current.pool_id)
        policy = replace(
            current,
            client_id=req["ClientId"],
            name=req.get("PolicyName", current.name),
            cache_duration=req.get("CacheDuration"),
            url_patterns=patterns,
            modified=svc.clock.now(),
        )
        tx.cimd_policies.update(policy)
        tx.cimd_urls.invalidate_policy(policy.id)
        return {"CIMDPolicy": _wire(tx, policy)}


@operation("DeleteCIMDPolicy")
def delete_cimd_policy(svc: Services, req: DeleteCIMDPolicyRequest) -> DeleteCIMDPolicyResponse:
    with svc.store.write() as tx:
        policy = _policy_or_error(tx, req["UserPoolId"], req["CIMDPolicyId"])
        tx.cimd_policies.delete(policy.id)
    return {}


@operation("ListClientMetadataURLs")
def list_client_metadata_urls(
    svc: Services, req: ListClientMetadataURLsRequest
) -> ListClientMetadataURLsResponse:
    limit = req.get("MaxResults", DEFAULT_PAGE)
    with svc.store.read() as tx:
        policy = _policy_or_error(tx, req["UserPoolId"], req["CIMDPolicyId"])
        found = tx.cimd_urls.page(policy.id, page(req.get("NextToken")), limit + 1)
    items, token = cut(found, limit, lambda u: u.url)
    answer: ListClientMetadataURLsResponse = {"ClientMetadataURLs": [_url(u) for u in items]}
    if token is not None:
        answer["NextToken"] = token
    return answer


@operation("UpdateClientMetadataURLState")
def update_client_metadata_url_state(
    svc: Services, req: UpdateClientMetadataURLStateRequest
) -> UpdateClientMetadataURLStateResponse:
    """REFRESH fetches the document again now (a document that no longer validates is
    dropped, and the call says why); INVALIDATE drops the cached one. Either needs a
    cached document."""
    with svc.store.read() as tx:
        policy = _policy_or_error(tx, req["UserPoolId"], req["CIMDPolicyId"])
        known = _cached(svc, tx, policy.id, req["URL"])
    if known is None:
        raise errors.CachedCIMDURLDoesNotExistException(
            f"There is no cached client metadata document for {req['URL']}."
        )
    if req["Action"] == "INVALIDATE":
        with svc.store.write() as tx:
            tx.cimd_urls.invalidate(policy.id, known.url)
        return {}
    try:
        cimd.refresh(svc, policy, known.url)
    except CIMDRefused as refused:
        raise errors.InvalidParameterException(str(refused)) from None
    return {}


def _cached(svc: Services, tx: UnitOfWork, policy_id: str, url: str) -> ClientMetadataURL | None:
    """The URL's cached entry. The API names URLs with https only: with
    --cimd-allow-loopback, https://127.0.0.1/... (or localhost, [::1]) also names the
    http loopback URL a test client uses."""
    spellings = [url]
    if svc.settings.cimd_allow_loopback:
        spellings.append("http://" + url.removeprefix("https://"))
    for spelling in spellings:
        found = tx.cimd_urls.get(policy_id, spelling)
        if found is not None and found.document is not None:
            return found
    return None


def _policy_or_error(tx: UnitOfWork, pool_id: str, policy_id: str) -> CIMDPolicy:
    pool_or_error(tx, pool_id)
    policy = tx.cimd_policies.get(pool_id, policy_id)
    if policy is None:
        raise errors.ResourceNotFoundException(f"CIMD policy {policy_id} does not exist.")
    return policy


def _wire(tx: UnitOfWork, policy: CIMDPolicy) -> CIMDPolicyType:
    wire: CIMDPolicyType = {
        "UserPoolId": policy.pool_id,
        "CIMDPolicyId": policy.id,
        "PolicyName": policy.name,
        "CacheDuration": policy.cache_duration or rules.DEFAULT_CACHE,
        "URLPatterns": list(policy.url_patterns),
        "CreationDate": policy.created,
        "LastModifiedDate": policy.modified,
    }
    client = tx.clients.get(policy.client_id)
    if client is not None and client.pool_id == policy.pool_id:  # omitted once it is gone
        wire["ClientId"] = policy.client_id
    return wire


def _summary(tx: UnitOfWork, policy: CIMDPolicy) -> CIMDPolicySummaryType:
    full = _wire(tx, policy)
    summary: CIMDPolicySummaryType = {
        "CIMDPolicyId": full["CIMDPolicyId"],
        "PolicyName": full["PolicyName"],
        "CacheDuration": full["CacheDuration"],
        "CreationDate": full["CreationDate"],
        "LastModifiedDate": full["LastModifiedDate"],
    }
    if "ClientId" in full:
        summary["ClientId"] = full["ClientId"]
    return summary


def _url(item: ClientMetadataURL) -> ClientMetadataURLType:
    wire: ClientMetadataURLType = {"URL": item.url}
    if item.document is not None and item.cached_at is not None:
        wire["CachedDate"] = item.cached_at
    if item.document is not None and item.expires_at is not None:
        wire["ExpirationDate"] = item.expires_at
    return wire
