"""Files in the API (issue "No leaks", point 10): an attachment's file and a sighting's photo are
absolute URLs of API views that serve them to those who see the record, 404 to anyone else."""

import base64
import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shouwang.patrols import services as patrols
from shouwang.registers.models import KeyPlace


def _png():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return buf.getvalue()


def _download(client, url):
    response = client.get(url)
    return response.status_code, (b"".join(response.streaming_content) if response.status_code == 200 else b"")


def test_an_attachment_is_an_absolute_url_that_downloads_in_scope_only(org, api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    place = KeyPlace.objects.create(jurisdiction=org.c1, name="一社区仓库", kind="site")
    client = api(org.user("office1"))
    created = client.post("/api/attachments/", {"place": place.pk, "kind": "photo", "title": "门口",
                                                "file": SimpleUploadedFile("gate.png", _png())}, format="multipart")
    assert created.status_code == 201, created.json()
    url = client.get(f"/api/attachments/{created.json()['id']}/").json()["file"]
    assert url == f"http://testserver/api/attachments/{created.json()['id']}/download/"
    assert created.json()["file"] == url
    assert _download(client, url) == (200, _png())
    assert _download(api(org.user("grid2")), url)[0] == 404


def test_a_sighting_photo_is_an_absolute_url_that_downloads_in_scope_only(org, api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sighting, _ = patrols.report_sighting(org.user("patrol1"), {
        "client_uuid": str(uuid.uuid4()), "kind": "hazard", "text": "护栏损坏", "jurisdiction": org.c1.pk,
        "photo": "data:image/png;base64," + base64.b64encode(_png()).decode()})
    client = api(org.user("office1"))
    url = client.get(f"/api/patrols/sightings/{sighting.pk}/").json()["photo"]
    assert url == f"http://testserver/api/patrols/sightings/{sighting.pk}/photo/"
    assert _download(client, url)[0] == 200
    assert _download(api(org.user("grid2")), url)[0] == 404
