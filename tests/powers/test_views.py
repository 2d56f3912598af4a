import pytest
from django.urls import reverse

from powers.models import PowerItem
from review.choices import Action, Status
from review.models import ReviewRecord
from review.services import review_transition
from tests.factories import PowerItemFactory
from tests.workflow import walk


def form_data(power=None, **overrides):
    """A complete POST for the power form (one legal basis row)."""
    data = {
        "code": "CF-GH-900", "category": "penalty", "name": "对违法建设的处罚", "sub_item": "",
        "unit": "", "content": "对未取得规划许可进行建设的行为依法处罚。", "has_discretion": "on",
        "lock_version": power.lock_version if power else "",
        "bases-TOTAL_FORMS": "1", "bases-INITIAL_FORMS": "0", "bases-MIN_NUM_FORMS": "1", "bases-MAX_NUM_FORMS": "1000",
        "bases-0-law_name": "《中华人民共和国城乡规划法》", "bases-0-article": "第六十四条", "bases-0-text": "",
    }
    if power is not None:
        bases = list(power.legal_bases.all())
        data.update({f: getattr(power, f) for f in ("code", "category", "name", "sub_item", "content")})
        data["unit"] = power.unit_id
        data["bases-TOTAL_FORMS"] = data["bases-INITIAL_FORMS"] = str(len(bases))
        for i, b in enumerate(bases):
            data.update({f"bases-{i}-id": b.pk, f"bases-{i}-law_name": b.law_name, f"bases-{i}-article": b.article, f"bases-{i}-text": b.text})
    data.update(overrides)
    return data


# --- scope: a record outside your scope is 404 whatever the URL -----------------------------

@pytest.mark.parametrize("name", ["powers:detail", "powers:edit", "powers:history"])
def test_staff_cannot_open_other_units_power_by_url(people, power_b, client_for, name):
    response = client_for(people.staff_a).get(reverse(name, args=[power_b.pk]))
    assert response.status_code == 404


def test_staff_cannot_step_other_units_power_by_url(people, power_b, client_for):
    response = client_for(people.staff_a).post(reverse("powers:transition", args=[power_b.pk, "submit"]))
    assert response.status_code == 404
    power_b.refresh_from_db()
    assert power_b.status == Status.DRAFT


def test_list_shows_only_the_users_scope(people, power_a, power_b, client_for):
    content = client_for(people.staff_a).get(reverse("powers:list")).content.decode()
    assert power_a.name in content and power_b.name not in content
    content = client_for(people.office).get(reverse("powers:list")).content.decode()
    assert power_a.name in content and power_b.name in content
    content = client_for(people.leader_b).get(reverse("powers:list")).content.decode()
    assert power_a.name not in content and power_b.name in content


def test_squad_staff_does_not_see_brigade_items_but_brigade_sees_squad(people, bureau, power_a, client_for):
    squad_power = PowerItemFactory(unit=bureau.a_squad, name="中队自己的职权")
    content = client_for(people.squad_staff).get(reverse("powers:list")).content.decode()
    assert squad_power.name in content and power_a.name not in content
    content = client_for(people.staff_a).get(reverse("powers:list")).content.decode()
    assert squad_power.name in content


@pytest.mark.parametrize("name,args", [("powers:list", []), ("powers:detail", [1]), ("powers:create", []), ("home", []), ("notices:inbox", [])])
def test_anonymous_is_sent_to_login(db, client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_anonymous_cannot_post_a_transition(power_a, client):
    response = client.post(reverse("powers:transition", args=[power_a.pk, "submit"]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    power_a.refresh_from_db()
    assert power_a.status == Status.DRAFT


# --- editing -----------------------------------------------------------------------------------

def test_staff_creates_a_power_with_legal_basis(people, bureau, client_for):
    response = client_for(people.staff_a).post(reverse("powers:create"), form_data(unit=bureau.a.pk))
    power = PowerItem.objects.get(code="CF-GH-900")
    assert response.status_code == 302 and response.url == power.get_absolute_url()
    assert power.status == Status.DRAFT and power.created_by == people.staff_a
    assert power.legal_bases.get().article == "第六十四条"
    assert ReviewRecord.objects.get(object_id=power.pk).action == Action.CREATE


def test_staff_cannot_create_in_another_unit(people, bureau, client_for):
    response = client_for(people.staff_a).post(reverse("powers:create"), form_data(unit=bureau.b.pk))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not PowerItem.objects.exists()


def test_a_new_power_starts_in_the_users_own_unit(people, bureau, client_for):
    assert client_for(people.staff_a).get(reverse("powers:create")).context["form"]["unit"].value() == bureau.a.pk
    assert client_for(people.office).get(reverse("powers:create")).context["form"]["unit"].value() == bureau.fkb.pk


def test_a_power_without_any_legal_basis_says_so_in_words(people, bureau, client_for):
    data = {k: v for k, v in form_data(unit=bureau.a.pk).items() if not k.startswith("bases-")}
    data.update({"bases-TOTAL_FORMS": "0", "bases-INITIAL_FORMS": "0"})
    html = client_for(people.staff_a).post(reverse("powers:create"), data).content.decode()
    assert "请至少填写一条法律依据" in html and "请至少提交" not in html
    assert not PowerItem.objects.exists()


@pytest.mark.parametrize("user", ["director", "leader_a", "nobody"])
def test_non_editors_cannot_open_create_form(people, client_for, user):
    assert client_for(getattr(people, user)).get(reverse("powers:create")).status_code == 403


def test_bad_input_gets_chinese_messages_and_changes_nothing(people, bureau, power_a, client_for):
    client = client_for(people.staff_a)
    data = form_data(unit=bureau.a.pk, code=power_a.code, name="", **{"bases-0-law_name": ""})
    response = client.post(reverse("powers:create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "该职权编码已被其他职权事项使用" in html
    assert "这个字段是必填项" in html
    assert PowerItem.objects.count() == 1


def test_posts_must_belong_to_the_exercising_unit(people, bureau, client_for):
    from tests.factories import PostFactory

    squad_post = PostFactory(unit=bureau.a_squad, name="中队执法队员")
    response = client_for(people.staff_a).post(reverse("powers:create"), form_data(unit=bureau.a.pk, posts=[squad_post.pk]))
    assert "以下岗位不属于行使单位：中队执法队员" in response.content.decode()
    assert not PowerItem.objects.exists()


def test_edit_is_recorded_in_history_with_old_and_new_values(people, power_a, client_for):
    client = client_for(people.staff_a)
    response = client.post(reverse("powers:edit", args=[power_a.pk]), form_data(power_a, name="对违法建设行为的处罚（修订）"))
    assert response.status_code == 302
    power_a.refresh_from_db()
    latest = power_a.history.first()
    assert latest.history_user == people.staff_a and latest.name == "对违法建设行为的处罚（修订）"
    html = client.get(reverse("powers:history", args=[power_a.pk])).content.decode()
    assert "职权名称" in html and "对未取得建设工程规划许可证进行建设的处罚" in html and "（修订）" in html


def test_stale_form_is_refused_and_newer_data_survives(people, power_a, client_for):
    stale = form_data(power_a, name="甲的修改")
    fresh = form_data(power_a, name="乙的修改")
    client_for(people.staff_a2).post(reverse("powers:edit", args=[power_a.pk]), fresh)
    response = client_for(people.staff_a).post(reverse("powers:edit", args=[power_a.pk]), stale)
    assert response.status_code == 200
    assert "在您编辑期间，该事项已被他人修改" in response.content.decode()
    power_a.refresh_from_db()
    assert power_a.name == "乙的修改"


def test_submitted_item_cannot_be_edited(people, power_a, client_for):
    review_transition(item=power_a, action=Action.SUBMIT, actor=people.staff_a)
    client = client_for(people.staff_a)
    assert client.get(reverse("powers:edit", args=[power_a.pk])).status_code == 403
    power_a.refresh_from_db()
    response = client.post(reverse("powers:edit", args=[power_a.pk]), form_data(power_a, name="偷偷改"))
    assert response.status_code == 403
    power_a.refresh_from_db()
    assert power_a.name != "偷偷改"


def test_editing_a_published_power_starts_a_new_revision_and_keeps_the_published_one(people, power_a, client_for):
    walk(power_a, people, filing_reference="备2026-1")
    published_name = power_a.name
    client_for(people.staff_a).post(reverse("powers:edit", args=[power_a.pk]), form_data(power_a, name="新版本名称"))
    power_a.refresh_from_db()
    assert power_a.status == Status.DRAFT and power_a.revision == 2 and power_a.name == "新版本名称"
    assert power_a.published_record.snapshot["name"] == published_name
    assert power_a.published_record.revision == 1


# --- the workflow through the pages ----------------------------------------------------------

def test_review_through_the_pages_notifies_the_submitter(people, power_a, client_for, mailoutbox, django_capture_on_commit_callbacks):
    client_for(people.staff_a).post(reverse("powers:transition", args=[power_a.pk, "submit"]))
    client = client_for(people.head_a)
    detail = client.get(power_a.get_absolute_url()).content.decode()
    assert "集体审定通过并报送" in detail and "退回" in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("powers:transition", args=[power_a.pk, "return"]), {"return-comment": ""})
    assert response.status_code == 302
    power_a.refresh_from_db()
    assert power_a.status == Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("powers:transition", args=[power_a.pk, "return"]), {"return-comment": "依据条款不全"})
    power_a.refresh_from_db()
    assert power_a.status == Status.RETURNED
    note = people.staff_a.notifications.get()
    assert "退回" in note.subject and "依据条款不全" in note.body
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [people.staff_a.email]


def test_refused_step_shows_a_message(people, power_a, client_for):
    response = client_for(people.staff_a).post(reverse("powers:transition", args=[power_a.pk, "publish"]), follow=True)
    assert "不能执行“公布”" in response.content.decode()


def test_home_lists_what_waits_for_each_role(people, power_a, power_b, client_for):
    review_transition(item=power_a, action=Action.SUBMIT, actor=people.staff_a)
    assert power_a.name in client_for(people.head_a).get(reverse("home")).content.decode()
    assert power_a.name not in client_for(people.head_b).get(reverse("home")).content.decode()
    assert power_a.name not in client_for(people.leader_a).get(reverse("home")).content.decode()


# --- speed ------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [5, 60])
def test_list_query_count_does_not_grow(people, bureau, client_for, django_assert_num_queries, size):
    PowerItemFactory.create_batch(size, unit=bureau.a)
    client = client_for(people.office)
    client.get(reverse("powers:list"))  # warm the session and the content types
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("powers:list"), {"ordering": "-updated"})
    assert response.status_code == 200


@pytest.mark.parametrize("bases,steps", [(1, 2), (12, 30)])
def test_detail_query_count_does_not_grow_with_bases_or_steps(people, bureau, client_for, django_assert_num_queries, bases, steps):
    from tests.powers.test_flows import chain

    power = PowerItemFactory(unit=bureau.a, bases=bases, flow=False)
    chain(power, steps)
    client = client_for(people.office)
    client.get(power.get_absolute_url())
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(power.get_absolute_url()).status_code == 200


# session, user, roles, scope (units), unread count, page count, filter choices, rows …: a fixed
# number whatever the row count.
LIST_QUERIES = 11
DETAIL_QUERIES = 17  # 16, and the discretion benchmark section (supervision)
