"""Build (or complete) the demo bureau. Running it again changes nothing that exists."""

import datetime
import itertools

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from demo.data import org as org_data
from demo.data import powers as power_data
from demo.data import risks as risk_data
from demo import schedules_demo
from demo.monitoring_seed import seed_monitoring
from demo.supervision import seed_benchmark, seed_supervision
from controls.services import plan_save, round_open
from org.models import Post, Unit, User
from org.services import posts_mark_key
from powers.models import PowerItem
from powers.services import flow_replace, power_create, power_update
from public.models import Publication
from public.services import publication_publish, publication_save, publication_withdraw
from riskpoints.models import RiskPoint
from riskpoints.selectors import open_round
from riskpoints.services import risk_create
from review.choices import Action, FilingBody, Status
from review.services import review_transition

# Where each demo power ends up, in turn: most are published, every other state is present.
STATE_CYCLE = [
    Status.PUBLISHED, Status.PUBLISHED, Status.ACCEPTED, Status.PUBLISHED, Status.LEADER_APPROVED,
    Status.PUBLISHED, Status.UNIT_APPROVED, Status.SUBMITTED, Status.PUBLISHED, Status.RETURNED,
    Status.DRAFT, "revised",
]
PATH = [Action.SUBMIT, Action.UNIT_APPROVE, Action.LEADER_APPROVE, Action.ACCEPT, Action.FILE, Action.PUBLISH]
APPROVAL_COMMENTS = {
    Action.UNIT_APPROVE: "经大队（科室）会议集体审定，同意报送。",
    Action.LEADER_APPROVE: "同意。",
    Action.ACCEPT: "材料齐全，验收通过。",
}
RETURN_COMMENTS = {
    PowerItem: [
        "法律依据只列了法律名称，请补充具体条款并核对现行有效版本。",
        "职权内容表述过于笼统，请写明行使对象、条件和结果。",
        "责任岗位与“三定”方案不一致，请与政治处核对后修改。",
    ],
    RiskPoint: ["风险表现形式写得太笼统，请结合本岗位近两年的信访举报写具体。"],
}



class Command(BaseCommand):
    help = "建立演示用的城管执法局：单位、岗位、各角色账号和职权目录（可重复运行）。"

    # Demo people's names: a surname and a given name, drawn in turn.
    names = (s + g for g, s in zip(itertools.cycle(org_data.GIVEN), itertools.cycle(org_data.SURNAMES)))

    def handle(self, *args, **options):
        # Seeding walks items through the workflow as the demo users would; their inboxes fill
        # up as a real bureau's would, but no email leaves the machine.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            with transaction.atomic():
                units = self.seed_units()
                users = self.seed_users(units)
            created = self.seed_powers(units, users)
            risks = self.seed_risks(units, users)
            if risks:
                self.spread_over_the_year()
            self.seed_proposal(units, users)
            self.seed_publications(units, users)
            seed_monitoring(units, users)
            schedules_demo.seed(units, users)
            self.seed_api_clients(units, users)
            seed_supervision(units, users)
        self.stdout.write(self.style.SUCCESS(
            f"演示数据就绪：{Unit.objects.count()} 个单位，{Post.objects.count()} 个岗位，"
            f"{User.objects.count()} 个账号，{PowerItem.objects.count()} 项职权（本次新建 {created} 项），"
            f"{RiskPoint.objects.count()} 个廉政风险点（本次新建 {risks} 个）。"
        ))

    def seed_units(self):
        code, name, short, kind = org_data.BUREAU
        units = {code: Unit.objects.update_or_create(code=code, defaults=dict(name=name, short_name=short, kind=kind, parent=None))[0]}
        for order, (code, name, short, kind, parent) in enumerate(org_data.UNITS, start=1):
            units[code] = Unit.objects.update_or_create(
                code=code, defaults=dict(name=name, short_name=short, kind=kind, parent=units[parent], order=order)
            )[0]
        for code, posts in org_data.POSTS.items():
            for post_name, tier in posts:
                Post.objects.get_or_create(unit=units[code], name=post_name, defaults={"tier": tier})
        return units

    def seed_users(self, units):
        groups = {g.name: g for g in Group.objects.all()}
        names = self.names
        users = {}

        def account(username, real_name, unit, post_name, roles, title="", oversees=()):
            user, created = User.objects.get_or_create(
                username=username,
                defaults=dict(
                    real_name=real_name, unit=units[unit], title=title,
                    email=f"{username}@cgzf.example.gov.cn",
                    post=Post.objects.filter(unit=units[unit], name=post_name).first() if post_name else None,
                    is_staff="admin" in roles, is_superuser="admin" in roles,
                ),
            )
            if created:
                user.set_password(org_data.PASSWORD)
                user.save()
                user.groups.set([groups[r] for r in roles])
                user.oversees.set([units[c] for c in oversees])
            users[username] = user

        for username, real_name, unit, post_name, roles, title in org_data.ACCOUNTS:
            account(username, real_name, unit, post_name, roles, title)
        for username, real_name, title, oversees in org_data.LEADERS:
            account(username, real_name, "JU", "副局长", ["leader"], title, oversees)
        account("expert", "马文涛", "JU", None, ["expert"], "评审专家（市纪委特邀）")
        for code, *_ in org_data.UNITS:
            if code == "FKB":
                continue
            head_post, *others = org_data.POSTS[code]
            account(f"{code.lower()}_head", next(names), code, head_post[0], ["unit_head", "staff"], head_post[0])
            staff_post = others[0][0] if others else None
            account(f"{code.lower()}_staff", next(names), code, staff_post, ["staff"], staff_post or "")
        posts_mark_key(post_ids=Post.objects.filter(name__in=org_data.KEY_POSTS).values_list("pk", flat=True),
                       actor=users["office"], is_key=True)
        return users

    def leader_for(self, unit, users):
        for username, _name, _title, oversees in org_data.LEADERS:
            if unit.code in oversees or (unit.parent and unit.parent.code in oversees):
                return users[username]
        raise LookupError(f"演示数据中没有分管 {unit.name} 的领导")

    def seed_powers(self, units, users):
        existing = set(PowerItem.objects.values_list("code", flat=True))
        created = 0
        for index, row in enumerate(power_data.POWERS):
            if row["code"] in existing:
                continue
            # Powers of the leadership team are kept by the 办公室, which submits them.
            unit = units["BGS" if row["unit"] == "JU" else row["unit"]]
            staff, head = users[f"{unit.code.lower()}_staff"], users[f"{unit.code.lower()}_head"]
            data = {
                "code": row["code"], "category": row["category"], "name": row["name"],
                "sub_item": row.get("sub_item", ""), "content": row["content"], "unit": unit,
                "has_discretion": row["has_discretion"], **power_data.CATALOGUE.get(row["code"], {}),
                # Fall back to the unit head's post where the data names posts of another unit.
                "posts": list(Post.objects.filter(unit=unit, name__in=row["posts"]))
                or ([head.post] if head.post else []),
            }
            bases = [{"law_name": b["law"], "article": b["article"], "text": b["text"]} for b in row["legal_bases"]]
            with transaction.atomic():
                power = power_create(actor=staff, data=data, legal_bases=bases)
                self.draw_flow(power, row["flow"], staff)
                seed_benchmark(power, staff)
                target = STATE_CYCLE[index % len(STATE_CYCLE)]
                self.walk(power, Status.PUBLISHED if target == "revised" else target, self.actors(unit, users), index)
                if target == "revised":
                    self.revise(power, staff)
            created += 1
        return created

    def draw_flow(self, power, flow_key, actor):
        flow = power_data.FLOWS[flow_key]
        unit = power.unit
        posts = {p.name: p for p in unit.posts.all()}
        units = {u.short_name: u for u in Unit.objects.all()} | {u.name: u for u in Unit.objects.all()}
        steps = []
        for s in flow["steps"]:
            handler = s["handler"]
            row = {
                "key": s["key"], "name": s["name"], "conditions": s["conditions"], "procedure": s["procedure"],
                "immediate": s["days"] is None, "time_limit_days": s["days"], "supervision": s["supervision"],
                "handler_unit": None, "handler_post": None, "handler_text": "",
                **power_data.STEP_DETAILS.get(flow_key, {}).get(s["key"], {}),
            }
            if handler in posts:
                row.update(handler_unit=unit, handler_post=posts[handler])
            elif handler in units:
                row["handler_unit"] = units[handler]
            else:
                row["handler_text"] = handler
            steps.append(row)
        power.refresh_from_db()
        flow_replace(power=power, actor=actor, lock_version=power.lock_version, steps=steps, edges=flow["edges"])

    def walk(self, item, target, actors, index):
        """Take ``item`` through the workflow as its bureau would, until it reaches ``target``.

        ``actors`` maps each step to who takes it. Accepted powers are left unfiled, so the
        office's compile page has work to show; published ones are filed first.
        """
        today = timezone.localdate()
        item.refresh_from_db()
        if target == Status.RETURNED:
            review_transition(item=item, action=Action.SUBMIT, actor=actors[Action.SUBMIT])
            review_transition(item=item, action=Action.RETURN, actor=actors[Action.UNIT_APPROVE],
                              comment=RETURN_COMMENTS[type(item)][index % len(RETURN_COMMENTS[type(item)])])
            return
        for action in PATH:
            if item.status == target or (action == Action.FILE and (not item.requires_filing or target != Status.PUBLISHED)):
                continue
            review_transition(
                item=item, action=action, actor=actors[action], comment=APPROVAL_COMMENTS.get(action, ""),
                meeting_date=today - datetime.timedelta(days=20), filed_on=today - datetime.timedelta(days=7),
                filing_reference=f"X法制备〔{today.year}〕{index + 1}号",
                filing_bodies=[FilingBody.LEGAL, FilingBody.ESTABLISHMENT, FilingBody.OPENNESS],
            )
            item.refresh_from_db()

    def actors(self, unit, users):
        office = users["office"]
        return {
            Action.SUBMIT: users[f"{unit.code.lower()}_staff"], Action.UNIT_APPROVE: users[f"{unit.code.lower()}_head"],
            Action.LEADER_APPROVE: self.leader_for(unit, users),
            Action.ACCEPT: office, Action.FILE: office, Action.PUBLISH: office,
        }

    def revise(self, power, staff):
        """Edit a published power, so that the demo shows a second revision awaiting review."""
        power.refresh_from_db()
        power_update(
            power=power, actor=staff, lock_version=power.lock_version,
            data={**{f: getattr(power, f) for f in ("code", "category", "name", "sub_item", "unit", "has_discretion")},
                  "content": power.content + "（根据新修订的法规调整表述）", "posts": list(power.posts.all())},
            legal_bases=[{"id": b.pk, "law_name": b.law_name, "article": b.article, "text": b.text}
                         for b in power.legal_bases.all()],
        )

    # --- risk points and their control plans ----------------------------------------------------

    RISK_CYCLE = [
        Status.PUBLISHED, Status.PUBLISHED, Status.ACCEPTED, Status.PUBLISHED, Status.LEADER_APPROVED,
        Status.PUBLISHED, Status.UNIT_APPROVED, Status.SUBMITTED, Status.PUBLISHED, Status.RETURNED,
        Status.DRAFT, "no_plan", Status.PUBLISHED,
    ]

    def seed_risks(self, units, users):
        # The office opens the year, as it does in the application (年度风险排查).
        round_ = open_round(units["JU"]) or round_open(actor=users["office"], year=timezone.localdate().year)[0]
        if RiskPoint.objects.filter(round=round_).exists():
            return 0
        powers = {p.code: p for p in PowerItem.objects.all()}
        flows = {row["code"]: power_data.FLOWS[row["flow"]] for row in power_data.POWERS}
        supervisors = {"inspector": users["inspector"], "dck": users["dck_head"], "office": users["office"]}
        today = timezone.localdate()
        created = 0
        for index, row in enumerate(risk_data.RISKS):
            unit = units[row["unit"]]
            staff, head = users[f"{unit.code.lower()}_staff"], users[f"{unit.code.lower()}_head"]
            post = Post.objects.get(unit=unit, name=row["post"]) if row["post"] else None
            power = powers.get(row["power"]) if row["power"] else None
            step = None
            if power and row["step"]:
                name = next(s["name"] for s in flows[row["power"]]["steps"] if s["key"] == row["step"])
                step = power.steps.filter(name=name).first()
            importance, discretion, probability, harm = row["factors"]
            data = dict(unit=unit, post=post, power=power, step=step, finding_level=row["finding_level"],
                        kind=row["kind"], found_by=row["found_by"], title=row["title"], description=row["description"],
                        importance=importance, discretion=discretion, probability=probability, harm=harm,
                        level=row["level"], level_reason=row["level_reason"])
            target = self.RISK_CYCLE[index % len(self.RISK_CYCLE)]
            with transaction.atomic():
                risk = risk_create(actor=staff, data=data, round_=round_)
                if target != "no_plan":
                    measures = [
                        {"kind": m["kind"], "content": m["content"],
                         "responsible": self.responsible(m["responsible"], unit, post, users, head, staff),
                         "supervisor": supervisors[m["supervisor"]],
                         "due_date": today + datetime.timedelta(days=m["due_days"])}
                        for m in row["measures"]
                    ]
                    risk.refresh_from_db()
                    plan = plan_save(risk=risk, actor=staff, lock_version=risk.lock_version, measures=measures)
                    for measure, m in zip(plan.measures.order_by("order"), row["measures"]):
                        measure.state = m["state"]
                        measure.save()
                self.walk(risk, Status.DRAFT if target == "no_plan" else target, self.actors(unit, users), index)
            created += 1
        return created

    def spread_over_the_year(self):
        """Date the just-seeded register and its review trails back over this year, as a year's
        work would have spread them, so that the dashboard's monthly trend and its review
        backlog by age have something to show. Each item and its trail move back together."""
        from django.contrib.contenttypes.models import ContentType
        from django.db.models import F

        from review.models import ReviewRecord

        today = timezone.localdate()
        span = max((today - datetime.date(today.year, 1, 1)).days, 1)
        for model, step in ((RiskPoint, 47), (PowerItem, 23)):
            content_type = ContentType.objects.get_for_model(model)
            for index, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True)):
                back = datetime.timedelta(days=(index * step) % span)
                if model is RiskPoint:
                    model.objects.filter(pk=pk).update(created_at=F("created_at") - back)
                ReviewRecord.objects.filter(content_type=content_type, object_id=pk).update(created_at=F("created_at") - back)

    def seed_proposal(self, units, users):
        """One pending 领导点 proposal, waiting for the 规划执法大队 (plans got their three layers
        from plan_save's defaults: post holder, unit head, overseeing leader)."""
        from monitoring.models import RiskProposal
        from monitoring.services import proposal_create

        if RiskProposal.objects.exists():
            return
        proposal_create(
            actor=self.leader_for(units["GHDD"], users), found_by="leader", target_unit=units["GHDD"],
            title="违法建设拆除后复查流于形式",
            description="强制拆除后未按期复查，当事人恢复搭建时无人发现，存在以“已拆除”结案、放任违建的风险。")

    def responsible(self, kind, unit, post, users, head, staff):
        if kind == "leader":
            return self.leader_for(unit, users)
        if kind == "head":
            return head
        if post is None:
            return staff
        holder = post.holders.filter(is_active=True).first()
        if holder is None:
            holder = User.objects.create(
                username=f"{unit.code.lower()}_p{post.pk}", real_name=next(self.names), unit=unit, post=post,
                title=post.name, email=f"{unit.code.lower()}_p{post.pk}@cgzf.example.gov.cn",
            )
            holder.set_password(org_data.PASSWORD)
            holder.save()
            holder.groups.set(Group.objects.filter(name="staff"))
        return holder

    # --- publications -------------------------------------------------------------------------

    def seed_publications(self, units, users):
        """A current publication of most units, a withdrawn one and an expired one."""
        if Publication.objects.exists():
            return
        office, today = users["office"], timezone.localdate()
        most = [u for code, u in units.items() if code not in ("JU", "FKB", "XCK")]

        def publish(title, starts, ends, unit_list=None, risks=True):
            pub = Publication(title=title, all_units=unit_list is None, include_risks=risks, starts_on=starts, ends_on=ends)
            publication_save(actor=office, publication=pub, units=unit_list or [])
            return publication_publish(actor=office, publication=pub)

        publish(f"{today.year - 1}年度廉政风险点公示", datetime.date(today.year - 1, 10, 1), datetime.date(today.year - 1, 10, 31))
        first = publish(f"{today.year}年度职权目录（第一批）", today - datetime.timedelta(days=40), None, risks=False)
        publication_withdraw(actor=office, publication=first, reason="部分事项引用的法规条款已修订，撤回更正后重新公示。")
        publish(f"{today.year}年度职权目录、权力运行流程图和廉政风险点公示", today - datetime.timedelta(days=10),
                today + datetime.timedelta(days=20), unit_list=most)

    def seed_api_clients(self, units, users):
        """A supervision platform with a token for the internal API; the token is printed once."""
        from api.models import ApiClient
        from api.services import api_client_issue

        name = "省纪委监委廉政风险监督平台（演示）"
        admin = users.get("admin") or User.objects.filter(is_superuser=True).order_by("pk").first()
        if admin is None or ApiClient.objects.filter(name=name).exists():
            return
        client, token = api_client_issue(actor=admin, name=name, unit=units["JU"],
                                         expires_at=timezone.now() + datetime.timedelta(days=365))
        self.stdout.write(f"内部数据接口的演示令牌（只显示这一次）：{client.name} → {token}")
