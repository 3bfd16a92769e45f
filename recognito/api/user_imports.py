"""User import jobs: GetCSVHeader, CreateUserImportJob, StartUserImportJob,
DescribeUserImportJob, ListUserImportJobs, StopUserImportJob.

The file is PUT to the job's PreSignedUrl on this server (web/user_imports.py); the
import itself runs on a server thread (service/user_imports.py)."""

from __future__ import annotations

from recognito import errors
from recognito.domain.user_imports import (
    CREATED,
    IN_PROGRESS,
    PENDING,
    STOPPED_MESSAGE,
    STOPPING,
    ImportJob,
    csv_header,
)
from recognito.service.context import Services
from recognito.service.lookups import pool_or_error
from recognito.service.paging import cut, id_page
from recognito.service.registry import operation
from recognito.service.user_imports import new_job, upload_url
from recognito.shapes import (
    CreateUserImportJobRequest,
    CreateUserImportJobResponse,
    DescribeUserImportJobRequest,
    DescribeUserImportJobResponse,
    GetCSVHeaderRequest,
    GetCSVHeaderResponse,
    ListUserImportJobsRequest,
    ListUserImportJobsResponse,
    StartUserImportJobRequest,
    StartUserImportJobResponse,
    StopUserImportJobRequest,
    StopUserImportJobResponse,
    UserImportJobType,
)
from recognito.store.unit_of_work import UnitOfWork

JOB_NOT_FOUND = "Import job not found."
NOT_UPLOADED = "The CSV file of the import job has not been uploaded."


def _job_type(svc: Services, job: ImportJob, now: float) -> UserImportJobType:
    answer: UserImportJobType = {
        "JobName": job.name,
        "JobId": job.job_id,
        "UserPoolId": job.pool_id,
        "PreSignedUrl": upload_url(svc.settings.base_url, svc.secret_key, job),
        "CreationDate": job.created_at,
        "Status": job.status_at(now),  # type: ignore[typeddict-item]  # one of the model's
        "CloudWatchLogsRoleArn": job.role_arn,
        "ImportedUsers": job.imported,
        "SkippedUsers": job.skipped,
        "FailedUsers": job.failed,
    }
    if job.started_at is not None:
        answer["StartDate"] = job.started_at
    if job.completed_at is not None:
        answer["CompletionDate"] = job.completed_at
    if job.message is not None:
        answer["CompletionMessage"] = job.message
    return answer


def _job_or_error(tx: UnitOfWork, pool_id: str, job_id: str, *, lock: bool = False) -> ImportJob:
    pool_or_error(tx, pool_id)
    job = tx.user_imports.get(pool_id, job_id, lock=lock)
    if job is None:
        raise errors.ResourceNotFoundException(JOB_NOT_FOUND)
    return job


@operation("GetCSVHeader")
def get_csv_header(svc: Services, req: GetCSVHeaderRequest) -> GetCSVHeaderResponse:
    with svc.store.read() as tx:
        pool = pool_or_error(tx, req["UserPoolId"])
    return {"UserPoolId": pool.id, "CSVHeader": csv_header(pool.config)}


@operation("CreateUserImportJob")
def create_user_import_job(
    svc: Services, req: CreateUserImportJobRequest
) -> CreateUserImportJobResponse:
    now = svc.clock.now()
    job = new_job(req["UserPoolId"], req["JobName"], req["CloudWatchLogsRoleArn"], now)
    with svc.store.write() as tx:
        pool_or_error(tx, job.pool_id)
        tx.user_imports.insert(job)
    return {"UserImportJob": _job_type(svc, job, now)}


@operation("DescribeUserImportJob")
def describe_user_import_job(
    svc: Services, req: DescribeUserImportJobRequest
) -> DescribeUserImportJobResponse:
    with svc.store.read() as tx:
        job = _job_or_error(tx, req["UserPoolId"], req["JobId"])
    return {"UserImportJob": _job_type(svc, job, svc.clock.now())}


@operation("StartUserImportJob")
def start_user_import_job(
    svc: Services, req: StartUserImportJobRequest
) -> StartUserImportJobResponse:
    now = svc.clock.now()
    with svc.store.write() as tx:
        job = _job_or_error(tx, req["UserPoolId"], req["JobId"], lock=True)
        status = job.status_at(now)
        if status != CREATED:
            raise errors.PreconditionNotMetException(f"The import job is {status}.")
        if job.uploaded_at is None:
            raise errors.PreconditionNotMetException(NOT_UPLOADED)
        tx.user_imports.set_status(job.job_id, CREATED, status=PENDING, started_at=now)
        job = tx.user_imports.get(job.pool_id, job.job_id) or job
    svc.wake_imports()
    return {"UserImportJob": _job_type(svc, job, now)}


@operation("StopUserImportJob")
def stop_user_import_job(svc: Services, req: StopUserImportJobRequest) -> StopUserImportJobResponse:
    now = svc.clock.now()
    with svc.store.write() as tx:
        job = _job_or_error(tx, req["UserPoolId"], req["JobId"], lock=True)
        repo = tx.user_imports
        # a job no runner holds yet stops at once; one running stops after its batch
        if not (
            repo.stop_pending(job.job_id, now, STOPPED_MESSAGE)
            or repo.set_status(job.job_id, IN_PROGRESS, status=STOPPING)
        ):
            raise errors.PreconditionNotMetException(
                f"The import job is {job.status_at(now)}; only Pending and InProgress jobs stop."
            )
        job = repo.get(job.pool_id, job.job_id) or job
    return {"UserImportJob": _job_type(svc, job, now)}


@operation("ListUserImportJobs")
def list_user_import_jobs(
    svc: Services, req: ListUserImportJobsRequest
) -> ListUserImportJobsResponse:
    limit = req["MaxResults"]
    after = id_page(req.get("PaginationToken"))
    with svc.store.read() as tx:
        pool_or_error(tx, req["UserPoolId"])
        found = tx.user_imports.page(req["UserPoolId"], after, limit + 1)
    shown, token = cut(found, limit, lambda item: str(item[0]))
    now = svc.clock.now()
    answer: ListUserImportJobsResponse = {
        "UserImportJobs": [_job_type(svc, job, now) for _, job in shown]
    }
    if token:
        answer["PaginationToken"] = token
    return answer
