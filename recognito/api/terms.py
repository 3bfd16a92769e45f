"""Terms documents: CreateTerms, DescribeTerms, DescribeTermsByClient, ListTerms,
UpdateTerms, DeleteTerms.

One terms-of-use and one privacy-policy document per app client; the sign-up page links
them once both exist (web/pages.py)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import cast

from recognito.domain import branding as rules
from recognito.domain.records import TermsDocument
from recognito.service.context import Services
from recognito.service.lookups import client_or_error, pool_or_error
from recognito.service.paging import cut, page
from recognito.service.registry import NoOutput, operation
from recognito.shapes import (
    CreateTermsRequest,
    CreateTermsResponse,
    DeleteTermsRequest,
    DescribeTermsByClientRequest,
    DescribeTermsByClientResponse,
    DescribeTermsRequest,
    DescribeTermsResponse,
    ListTermsRequest,
    ListTermsResponse,
    TermsEnforcementType,
    TermsSourceType,
    TermsType,
    UpdateTermsRequest,
    UpdateTermsResponse,
)
from recognito.store.unit_of_work import UnitOfWork

DEFAULT_PAGE = 60  # when MaxResults is omitted: the largest page


@operation("CreateTerms")
def create_terms(svc: Services, req: CreateTermsRequest) -> CreateTermsResponse:
    now = svc.clock.now()
    terms = TermsDocument(
        id=str(uuid.uuid4()),
        pool_id=req["UserPoolId"],
        client_id=req["ClientId"],
        terms_name=req["TermsName"],
        terms_source=req["TermsSource"],
        enforcement=req["Enforcement"],
        links=dict(req.get("Links", {})),
        created=now,
        modified=now,
    )
    with svc.store.write() as tx:
        pool_or_error(tx, terms.pool_id)
        client_or_error(tx, terms.client_id, terms.pool_id)
        taken = {t.terms_name for t in tx.terms.of_client(terms.pool_id, terms.client_id)}
        if terms.terms_name in taken or not tx.terms.insert(terms):
            raise rules.terms_exist(terms.terms_name)
    return {"Terms": _wire(terms)}


@operation("DescribeTerms")
def describe_terms(svc: Services, req: DescribeTermsRequest) -> DescribeTermsResponse:
    with svc.store.read() as tx:
        terms = _terms_or_error(tx, req["UserPoolId"], req["TermsId"])
    return {"Terms": _wire(terms)}


@operation("DescribeTermsByClient")
def describe_terms_by_client(
    svc: Services, req: DescribeTermsByClientRequest
) -> DescribeTermsByClientResponse:
    """The client's document of that name; an unknown client, like a missing document, is
    ResourceNotFoundException."""
    pool_id, client_id = req["UserPoolId"], req["ClientId"]
    with svc.store.read() as tx:
        pool_or_error(tx, pool_id)
        client_or_error(tx, client_id, pool_id)
        named = [
            t for t in tx.terms.of_client(pool_id, client_id) if t.terms_name == req["TermsName"]
        ]
    if not named:
        raise rules.terms_not_found()
    return {"Terms": _wire(named[0])}


@operation("ListTerms")
def list_terms(svc: Services, req: ListTermsRequest) -> ListTermsResponse:
    limit = req.get("MaxResults", DEFAULT_PAGE)
    with svc.store.read() as tx:
        pool_or_error(tx, req["UserPoolId"])
        found = tx.terms.page(req["UserPoolId"], page(req.get("NextToken")), limit + 1)
    items, token = cut(found, limit, lambda t: t.id)
    answer: ListTermsResponse = {
        "Terms": [
            {
                "TermsId": t.id,
                "TermsName": t.terms_name,
                "Enforcement": cast(TermsEnforcementType, t.enforcement),
                "CreationDate": t.created,
                "LastModifiedDate": t.modified,
            }
            for t in items
        ]
    }
    if token is not None:
        answer["NextToken"] = token
    return answer


@operation("UpdateTerms")
def update_terms(svc: Services, req: UpdateTermsRequest) -> UpdateTermsResponse:
    """What is given replaces what was; a name another document of the client has is
    TermsExistsException."""
    with svc.store.write() as tx:
        current = _terms_or_error(tx, req["UserPoolId"], req["TermsId"])
        terms = replace(
            current,
            terms_name=req.get("TermsName", current.terms_name),
            terms_source=req.get("TermsSource", current.terms_source),
            enforcement=req.get("Enforcement", current.enforcement),
            links=dict(req.get("Links", current.links)),
            modified=svc.clock.now(),
        )
        others = tx.terms.of_client(current.pool_id, current.client_id)
        if any(t.terms_name == terms.terms_name and t.id != terms.id for t in others):
            raise rules.terms_exist(terms.terms_name)
        if not tx.terms.update(terms):
            raise rules.terms_exist(terms.terms_name)
    return {"Terms": _wire(terms)}


@operation("DeleteTerms")
def delete_terms(svc: Services, req: DeleteTermsRequest) -> NoOutput:
    with svc.store.write() as tx:
        terms = _terms_or_error(tx, req["UserPoolId"], req["TermsId"])
        tx.terms.delete(terms.id)
    return {}


def _terms_or_error(tx: UnitOfWork, pool_id: str, terms_id: str) -> TermsDocument:
    pool_or_error(tx, pool_id)
    terms = tx.terms.get(pool_id, terms_id)
    if terms is None:
        raise rules.terms_not_found()
    return terms


def _wire(terms: TermsDocument) -> TermsType:
    return {
        "TermsId": terms.id,
        "UserPoolId": terms.pool_id,
        "ClientId": terms.client_id,
        "TermsName": terms.terms_name,
        "TermsSource": cast(TermsSourceType, terms.terms_source),
        "Enforcement": cast(TermsEnforcementType, terms.enforcement),
        "Links": terms.links,
        "CreationDate": terms.created,
        "LastModifiedDate": terms.modified,
    }
