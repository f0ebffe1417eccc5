"""Stored files live on local disk (the embedded default) or in an S3-compatible bucket (FUNDPORTAL_S3_BUCKET): an
applicant's upload, the funder's logo, the receipt, the decision letter and an export are stored, read and downloaded
the same way on both, and on object storage nothing lands on the web container's disk.

The bucket is moto's S3 server, started in this process on a free loopback port.
"""

import base64
import logging
import runpy
import socket
from uuid import uuid4

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer

from applications.models import Attachment
from applications.services import application_transition
from fundportal.export_jobs import export_job_start
from fundportal.models import LocalMail, OutboxEmail, Role
from fundportal.settings import object_storage
from fundportal.tenancy import scope
from review.decisions import decision_record, decisions_release
from tests.applications.test_applying import fill_everything, start, the_application, upload, url
from tests.factories import staff

pytestmark = pytest.mark.django_db

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
QUOTE = b"%PDF-1.7\nthe supplier's quote"
KEYS = {"access_key": "fundportal-test", "secret_key": "fundportal-test-secret", "region": "eu-north-1"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3-compatible server on loopback; its address."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


class Bucket:
    """A fresh bucket on the test server, and a client to look into it behind the portal's back."""

    def __init__(self, endpoint):
        self.name, self.endpoint = f"fundportal-{uuid4().hex[:12]}", endpoint
        self.client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=KEYS["access_key"],
                                   aws_secret_access_key=KEYS["secret_key"], region_name=KEYS["region"])
        self.client.create_bucket(Bucket=self.name, CreateBucketConfiguration={"LocationConstraint": KEYS["region"]})

    def keys(self):
        return {item["Key"] for item in self.client.list_objects_v2(Bucket=self.name).get("Contents", [])}

    def read(self, key):
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def is_private(self, key):
        grants = self.client.get_object_acl(Bucket=self.name, Key=key)["Grants"]
        return not any(grant["Grantee"].get("URI", "").endswith("AllUsers") for grant in grants)


@pytest.fixture(params=["local disk", "object storage"])
def storage(request, settings):
    """The portal's default storage on each kind; yields a function telling whether a stored name is where it
    belongs (and only there)."""
    if request.param == "local disk":
        yield lambda name: (settings.MEDIA_ROOT / name).read_bytes()
        return
    bucket = Bucket(request.getfixturevalue("s3_server"))
    storages = {**django_settings.STORAGES, "default": object_storage(bucket.name, endpoint_url=bucket.endpoint, **KEYS)}
    with override_settings(STORAGES=storages):
        def in_the_bucket(name):
            assert name in bucket.keys() and bucket.is_private(name)
            assert not (settings.MEDIA_ROOT / name).exists()
            return bucket.read(name)
        yield in_the_bucket


def downloaded(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_an_upload_a_logo_a_receipt_a_letter_and_an_export_are_stored_and_downloaded_through_the_portal(
        client, funder, open_call, applicant, storage, mailoutbox_to_db, django_capture_on_commit_callbacks):
    administrator, screener = staff(funder, Role.ADMINISTRATOR), staff(funder, Role.SCREENER)
    client.force_login(administrator)
    client.post(reverse("funder_settings", args=[funder.slug]), {
        "name": funder.name, "short_name": funder.short_name, "primary_colour": "#002d5a", "default_language": "en",
        "time_zone": "Europe/Stockholm", "staff_idle_timeout_minutes": "30",
        "logo": SimpleUploadedFile("logo.png", PNG, content_type="image/png")})
    funder.refresh_from_db()
    assert storage(funder.logo.name) == PNG
    assert downloaded(client.get(reverse("funder_logo", args=[funder.slug]))) == PNG

    client.force_login(applicant)
    start(client, funder, open_call)
    application = the_application(funder)
    fill_everything(client, funder, open_call, application)
    with scope(funder=funder):
        quote_question = open_call.sections.get(position=1).questions.get(kind="file")
    upload(client, funder, application, quote_question, "Offert.pdf", QUOTE)
    with scope(funder=funder):
        quote = Attachment.objects.get()
    assert storage(quote.file.name) == QUOTE
    quote_url = url("attachment", funder, application.pk, quote.pk)
    assert downloaded(client.get(quote_url)) == QUOTE

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("submit", funder, application.pk))
    with scope(funder=funder):
        receipt = OutboxEmail.objects.get(kind="receipt")
    assert storage(receipt.attachment.name).startswith(b"%PDF")
    assert LocalMail.objects.get(recipient=applicant.email).attachments[0]["filename"].endswith(".pdf")

    client.force_login(screener)
    assert downloaded(client.get(quote_url)) == QUOTE
    with scope(funder=funder), django_capture_on_commit_callbacks(execute=True):
        application.refresh_from_db()
        application_transition(application=application, action="start_review", by=screener)
        application_transition(application=application, action="advance", by=screener)
        decision_record(application=application, by=administrator, outcome="granted", amount=400_000)
        decisions_release(call=open_call, by=administrator)
    with scope(funder=funder):
        letter = OutboxEmail.objects.get(kind="decision")
    stored_letter = storage(letter.attachment.name)
    assert letter.status == OutboxEmail.Status.DRAFT and stored_letter.startswith(b"%PDF")
    assert b"/Subtype /Image" in stored_letter  # the letterhead's logo
    client.force_login(administrator)
    assert downloaded(client.get(reverse("outbox_attachment", args=[funder.slug, letter.pk]))) == stored_letter

    with scope(funder=funder), django_capture_on_commit_callbacks(execute=True):
        export = export_job_start(user=administrator, funder=funder, kind="review.queue", extension="csv", query="")
    export.refresh_from_db()
    assert downloaded(client.get(reverse("export_job_download", args=[funder.slug, export.pk]))) == storage(
        export.file.name)


def settings_read_from(monkeypatch, **variables):
    """The settings module as a deployment with only ``variables`` set (of the storage ones) reads it."""
    for name in ("FUNDPORTAL_S3_BUCKET", "AWS_STORAGE_BUCKET_NAME", "FUNDPORTAL_S3_ENDPOINT_URL", "AWS_S3_ENDPOINT_URL",
                 "FUNDPORTAL_S3_REGION", "AWS_S3_REGION_NAME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(django_settings.BASE_DIR / "fundportal" / "settings.py"))


def test_naming_a_bucket_in_the_environment_moves_the_stored_files_to_it(monkeypatch):
    assert settings_read_from(monkeypatch)["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"}
    on_minio = settings_read_from(monkeypatch, FUNDPORTAL_S3_BUCKET="fundportal-media",
                                  FUNDPORTAL_S3_ENDPOINT_URL="http://minio:9000")["STORAGES"]["default"]
    assert on_minio["BACKEND"] == "storages.backends.s3.S3Storage"
    assert on_minio["OPTIONS"] == {
        "bucket_name": "fundportal-media", "endpoint_url": "http://minio:9000", "region_name": None, "access_key": None,
        "secret_key": None, "default_acl": "private", "file_overwrite": False, "max_memory_size": 5 * 1024 * 1024,
        "addressing_style": "path"}
    on_aws = settings_read_from(monkeypatch, AWS_STORAGE_BUCKET_NAME="fundportal-media",
                                FUNDPORTAL_S3_REGION="eu-north-1")["STORAGES"]["default"]["OPTIONS"]
    assert on_aws["bucket_name"] == "fundportal-media" and on_aws["region_name"] == "eu-north-1"
    assert on_aws["addressing_style"] is None  # AWS's own bucket addresses


def test_the_storage_switch_takes_effect_for_the_models_file_fields(s3_server):
    bucket = Bucket(s3_server)
    with override_settings(STORAGES={**django_settings.STORAGES,
                                     "default": object_storage(bucket.name, endpoint_url=s3_server, **KEYS)}):
        assert Attachment._meta.get_field("file").storage.bucket_name == bucket.name
        assert default_storage.bucket_name == bucket.name
