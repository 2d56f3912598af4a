"""Each publication as published, as a PDF: on the public site for the current ones."""

from django.urls import reverse

from public.models import Publication
from tests.documents.pdfcheck import assert_cjk_pdf, read_pdf
from tests.documents.test_forms_pdf import get_pdf
from tests.factories import PowerItemFactory
from tests.public.test_public import publish, walk


def test_a_current_publication_is_a_pdf_for_the_public_with_only_what_was_published(people, bureau, client, client_for):
    power = walk(PowerItemFactory(unit=bureau.a, name="公开的职权"), people)
    publication = publish(people, title="2026年职权目录公示")
    power.refresh_from_db()
    html = client.get(reverse("public:home")).content.decode()
    url = reverse("documents:publication", args=[publication.pk])
    assert url in html
    pdf = assert_cjk_pdf(get_pdf(client, url), "2026年职权目录公示", "公开的职权", "行政处罚法", landscape=True)
    assert "内部审核意见" not in pdf.compact  # review comments never reach the public


def test_a_draft_or_withdrawn_publication_is_not_offered_to_the_public(people, bureau, client, client_for):
    draft = Publication.objects.create(bureau=bureau.ju, title="草稿公示", starts_on="2026-01-01", created_by=people.office)
    assert client.get(reverse("documents:publication", args=[draft.pk])).status_code == 404
    assert client_for(people.office).get(reverse("documents:publication", args=[draft.pk])).status_code == 404
    assert client.get(reverse("documents:publication", args=[999999])).status_code == 404


def test_the_office_prints_a_past_publication(people, bureau, client_for):
    walk(PowerItemFactory(unit=bureau.a, name="往期的职权"), people)
    publication = publish(people, title="往期公示", starts_on="2025-01-01", ends_on="2025-12-31")
    data = get_pdf(client_for(people.office), reverse("documents:publication", args=[publication.pk]))
    assert "往期的职权" in read_pdf(data).compact


def test_a_withdrawn_publication_on_paper_says_it_no_longer_stands(people, bureau, client_for):
    from django.utils import timezone

    from public.services import publication_withdraw

    walk(PowerItemFactory(unit=bureau.a, name="撤回前的职权"), people)
    publication = publish(people, title="撤回的公示")
    publication_withdraw(actor=people.office, publication=publication, reason="范围有误")
    data = read_pdf(get_pdf(client_for(people.office), reverse("documents:publication", args=[publication.pk]))).compact
    today = timezone.localdate()
    assert f"本公示已于{today.year}年{today.month}月{today.day}日撤回，不再有效。撤回原因：范围有误" in data
    assert "撤回前的职权" in data


def test_the_public_pdf_is_laid_out_once_not_per_visitor(people, bureau, client, monkeypatch):
    from documents import views

    walk(PowerItemFactory(unit=bureau.a, name="公开的职权"), people)
    publication = publish(people, title="公示")
    url = reverse("documents:publication", args=[publication.pk])
    first = get_pdf(client, url)
    monkeypatch.setattr(views, "render_pdf", lambda *a, **k: (_ for _ in ()).throw(AssertionError("laid out again")))
    assert get_pdf(client, url) == first
