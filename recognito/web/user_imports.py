"""PUT /_user-import/{jobId}?expires=&signature=: a user import job's CSV file, sent to
the PreSignedUrl that CreateUserImportJob answered (Cognito's points at S3; ours at this
server). The URL is signed for its one job with the instance's digest key and expires;
a job takes one file, at most Cognito's 100 MB."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from recognito.domain.user_imports import MAX_FILE_BYTES
from recognito.service.context import Services
from recognito.service.user_imports import store_upload, upload_allowed
from recognito.web.bodies import bounded_body

TOO_LARGE = f"The file is larger than {MAX_FILE_BYTES} bytes.\n"
BAD_URL = "The upload URL is not valid or has expired.\n"


def routes(services: Services) -> list[Route]:
    async def upload(request: Request) -> Response:
        job_id = request.path_params["job_id"]
        expires = request.query_params.get("expires", "")
        signature = request.query_params.get("signature", "")
        now = services.clock.now()
        # judged before the body is read: a forged URL costs no upload
        if not upload_allowed(services.secret_key, job_id, expires, signature, now):
            return PlainTextResponse(BAD_URL, status_code=403)
        data = await bounded_body(request, MAX_FILE_BYTES)
        if data is None:
            return PlainTextResponse(TOO_LARGE, status_code=413)
        refused = await run_in_threadpool(
            store_upload,
            services.store,
            job_id,
            expires,
            signature,
            data,
            services.clock.now(),
            services.secret_key,
        )
        if refused is not None:
            return PlainTextResponse(refused + "\n", status_code=409)
        return Response(status_code=200)

    return [Route("/_user-import/{job_id}", upload, methods=["PUT"])]
