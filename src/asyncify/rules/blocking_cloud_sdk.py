from asyncify.rules.base import Rule


class BlockingCloudSdk(Rule):
    """A synchronous cloud SDK call made on the event loop.

    ## What it finds
    In an `async def`: `boto3.client(...)` and `boto3.resource(...)` (they load the
    service model from disk) and every method of the clients and resources they return
    (`s3.get_object`, `bucket.upload_file`, `table.put_item`, ...) except
    `get_paginator`/`get_waiter`/`can_paginate` and the sub-resource constructors
    (`s3.Bucket(name)`); `pycognito.Cognito` (it makes a boto3 client) and its methods;
    google-cloud-storage's `Client`, `Bucket` and `Blob` methods and azure-storage-blob's
    sync `BlobServiceClient`, `ContainerClient` and `BlobClient` methods, except the ones
    that only build objects (`client.bucket(name)`, `get_blob_client`, ...). Clients are
    tracked through assignments, annotations and attributes on `self`.

    ## Why it is a problem
    Every call is an HTTPS request to the provider, and the first one may look up
    credentials from files or a metadata service; all of it waits in the calling thread.

    ## Fix
    `wrap` (default): `await asyncio.to_thread(s3.put_object, Bucket=bucket, Key=key,
    Body=data)`. Not automated: the async SDKs (`aioboto3`/`aiobotocore`,
    `gcloud-aio-storage`, `azure.storage.blob.aio`), which the message names.

    ## Fix safety
    Safe: boto3 clients and the google and azure clients may be used from another thread
    (boto3 *resources* and sessions may not be shared between threads running at the same
    time, which a sequence of awaited calls never does).
    """

    code = "AFY160"
    name = "blocking-cloud-sdk"
    message = "`{call}` calls a cloud service synchronously on the event loop"
    INVALID = (
        """\
import boto3


async def archive(key, data):
    boto3.client("s3")
""",
    )
    VALID = (
        """\
import aioboto3


async def archive(key, data):
    async with aioboto3.Session().client("s3") as s3:
        await s3.put_object(Bucket="archive", Key=key, Body=data)
""",
    )
