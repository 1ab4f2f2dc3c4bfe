"""AFY160 blocking-cloud-sdk: boto3, pycognito, google-cloud-storage, azure-storage-blob.

Golden detection file: each expected finding is marked at the end of its line.
"""

import boto3
from azure.storage.blob import BlobServiceClient
from google.cloud import storage
from pycognito import Cognito


class Uploader:
    def __init__(self) -> None:
        self.s3 = boto3.client("s3")

    async def upload(self, key: str, data: bytes) -> None:
        self.s3.put_object(Bucket="b", Key=key, Body=data)  # error: AFY160
        self.s3.get_paginator("list_objects_v2")


async def resources(key: str) -> None:
    s3 = boto3.resource("s3")  # error: AFY160
    bucket = s3.Bucket("archive")
    bucket.upload_file("/tmp/x", key)  # error: AFY160
    bucket.Object(key).delete()  # error: AFY160


async def from_a_session(profile: str) -> None:
    session = boto3.Session(profile_name=profile)
    dynamo = session.client("dynamodb")  # error: AFY160
    dynamo.put_item(TableName="t", Item={})  # error: AFY160


async def login(user: str, password: str) -> str:
    cognito = Cognito("pool", "client", username=user)  # error: AFY160
    cognito.authenticate(password=password)  # error: AFY160
    return cognito.id_token


async def gcs(client: storage.Client, name: str) -> bytes:
    blob = client.bucket("media").blob(name)
    return blob.download_as_bytes()  # error: AFY160


async def azure(connection: str, name: str) -> None:
    service = BlobServiceClient.from_connection_string(connection)
    container = service.get_container_client("media")
    container.upload_blob(name, b"data")  # error: AFY160
