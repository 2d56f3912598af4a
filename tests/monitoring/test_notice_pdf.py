"""The 诫勉谈话 notice and the 整改通知书 as PDFs: one A4 page, Chinese embedded, and only for
those who read the warning."""

import datetime

from django.urls import reverse
from django.utils import timezone

from monitoring.handling import warning_issue
from tests.documents.pdfcheck import assert_cjk_pdf


def test_an_admonition_notice_prints_on_one_a4_page(people, client_for):
    warning = warning_issue(actor=people.office, method="admonition", nature="trend", person=people.staff_a,
                            reason="多次在案件办理中未按规定回避。")
    url = reverse("monitoring:warning_notice_pdf", args=[warning.pk])
    response = client_for(people.office).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = assert_cjk_pdf(response.content, "廉政风险预警通知书", warning.number, "诫勉谈话", "多次在案件办理中未按规定回避")
    assert pdf.pages == 1
    assert client_for(people.staff_a2).get(url).status_code == 404  # same unit, not the person: nothing


def test_a_rectification_notice_names_its_deadline(bureau, people, client_for):
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    warning = warning_issue(actor=people.office, method="rectify", nature="sign", unit=bureau.a, reason="台账缺失",
                            requirement="补齐立案审批台账", deadline=deadline)
    response = client_for(people.head_a).get(reverse("monitoring:warning_notice_pdf", args=[warning.pk]))
    pdf = assert_cjk_pdf(response.content, "整改通知书", "补齐立案审批台账", f"{deadline.year}年{deadline.month}月{deadline.day}日")
    assert pdf.pages == 1
    # Chinese sets a date in the sentence without spaces around it.
    page = client_for(people.head_a).get(reverse("monitoring:warning_notice", args=[warning.pk])).content.decode()
    assert f"请于{deadline.year}年{deadline.month}月{deadline.day}日前完成整改" in page
