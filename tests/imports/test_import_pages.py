"""The import pages: upload, preview with problems, import or nothing; for whom."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients.models import Client
from sessions.imports.models import ImportJob
from sessions.models import FormResponse

CSV = (
    "Klientnr;Dato;Skjema;Skala 1;Skala 2;Skala 3;Skala 4;Team\n"
    "N-100;02.03.2026;ORS;4,5;5;6,1;4,8;North\n"
    "N-100;02.03.2026;SRS;9;9;9;9,5;North\n"
    "N-100;09.03.2026;XYZ;9;9;9;9,5;North\n"
    "S-001;09.03.2026;ORS;1;9;9;9;\n"
    "N-100;16.03.2026;ORS;11;9;9;9;North\n"
)


def upload(browser, content=CSV, name="forms.csv"):
    file = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
    return browser.post(reverse("import_upload"), {"file": file})


def test_a_leader_sees_the_preview_and_nothing_is_stored_yet(login, carol, client_s1):
    browser = login(carol)
    response = upload(browser)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "import_job", args=[job.pk]
    )
    page = browser.get(response["Location"])
    text = page.content.decode()
    assert job.state == "preview" and job.summary["forms_new"] == 2
    assert "Ukjent skjema «XYZ»" in text
    assert "Sak S-001 er ikke en klient du kan importere skjema for." in text
    assert "Spørsmål 1 er 11, utenfor 0–10." in text
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    assert not Client.objects.filter(case_code="N-100").exists()


def test_importing_the_valid_rows_stores_them_once(login, carol, client_s1):
    browser = login(carol)
    job_url = upload(browser)["Location"]
    job = ImportJob.objects.get()
    apply_url = reverse("import_apply", args=[job.pk])
    assert browser.post(apply_url).status_code == 302
    assert browser.post(apply_url).status_code == 302  # a second click imports nothing more
    job.refresh_from_db()
    assert job.state == "done" and job.result["forms"] == 2 and job.content == b""
    assert FormResponse.objects.filter(source="import").count() == 2
    assert "Lagret 2 skjema" in browser.get(job_url).content.decode()


def test_import_nothing_stores_nothing(login, carol):
    browser = login(carol)
    upload(browser)
    job = ImportJob.objects.get()
    browser.post(reverse("import_cancel", args=[job.pk]))
    browser.post(reverse("import_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == "cancelled" and FormResponse.objects.count() == 0


def test_the_progress_partial_answers_htmx(login, carol):
    browser = login(carol)
    upload(browser)
    job = ImportJob.objects.get()
    response = browser.get(reverse("import_job", args=[job.pk]), headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<div id="import-state"')


def test_a_file_of_another_kind_is_refused_with_a_message(login, carol):
    response = upload(login(carol), "x", name="forms.pdf")
    assert response.status_code == 200
    assert "Velg en .csv- eller .xlsx-fil." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_org_admin_sees_counts_and_row_problems_only(login, olga, north, alice, client_n1):
    browser = login(olga)
    content = "case code;date;form;total;helper;team\nN-001;2026-01-12;ORS;20;alice;North\n"
    job_url = upload(browser, content)["Location"]
    text = browser.get(job_url).content.decode()
    assert ImportJob.objects.get().summary["clients_matched"] == 1
    # Nothing stored about N-001 is on the page: not its helper, not its episode.
    assert "Alice" not in text and "2026-01-05" not in text and "05.01.2026" not in text


def test_a_helper_may_not_import(login, alice):
    browser = login(alice)
    assert browser.get(reverse("import_upload")).status_code == 404
    assert upload(browser).status_code == 404
    sample = reverse("import_sample", args=["template.csv"])
    assert browser.get(sample).status_code == 404


def test_an_import_is_seen_only_by_its_uploader(login, carol, erin, oscar, client, olga):
    upload(login(carol))
    job = ImportJob.objects.get()
    for url in (
        reverse("import_job", args=[job.pk]),
        reverse("import_apply", args=[job.pk]),
        reverse("import_cancel", args=[job.pk]),
    ):
        for other in (erin, oscar, olga):
            browser = login(other)
            method = browser.get if url.endswith(f"{job.pk}/") else browser.post
            assert method(url).status_code == 404, (other, url)
    client.logout()
    response = client.get(reverse("import_job", args=[job.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    job.refresh_from_db()
    assert job.state == "preview"


def test_the_template_and_sample_download(login, carol):
    browser = login(carol)
    response = browser.get(reverse("import_sample", args=["asist_sample.xlsx"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert browser.get("/imports/samples/settings.py").status_code == 404
    page = browser.get(reverse("import_upload")).content.decode()
    assert reverse("import_sample", args=["template.xlsx"]) in page
