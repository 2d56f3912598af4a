"""Open data and integration: bulk downloads of publications, and the tokens of other systems."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Unit
from org.scoping import ScopedQuerySet
from public.models import Publication


class DownloadState(models.TextChoices):
    PENDING = "pending", _("生成中")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


class PublicationDownload(models.Model):
    """The bulk files of one released publication, built once by a task when it is released.

    ``manifest`` describes them (period, counts, and name, size and SHA-256 of every file), so
    that a reader can check a download against it. The files never change afterwards: the
    entries of a released publication are frozen.
    """

    publication = models.OneToOneField(Publication, verbose_name=_("公示"), on_delete=models.CASCADE,
                                       related_name="download")
    state = models.CharField(_("状态"), max_length=10, choices=DownloadState.choices, default=DownloadState.PENDING)
    manifest = models.JSONField(_("清单"), default=dict, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公示数据下载")
        verbose_name_plural = _("公示数据下载")

    def __str__(self):
        return str(self.publication)


class DownloadFile(models.Model):
    """One file of a publication's bulk download (CSV, XLSX or JSON)."""

    download = models.ForeignKey(PublicationDownload, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("文件名"), max_length=60)
    file = models.FileField(_("文件"), upload_to="publications/")
    size = models.PositiveBigIntegerField(_("字节数"))
    sha256 = models.CharField(max_length=64)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("下载文件")
        verbose_name_plural = _("下载文件")
        constraints = [models.UniqueConstraint(fields=["download", "name"], name="download_file_unique_name")]

    def __str__(self):
        return self.name


class ApiClientQuerySet(ScopedQuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiClient(models.Model):
    """Another government system allowed to read the internal API with its own token.

    It reads what a staff member of ``unit`` reads (that unit and the units under it), through
    the same ``for_user`` scoping as the pages. Only a SHA-256 of the token is stored: the token
    itself is shown once, when it is issued. Expired or revoked, the token answers 401.
    """

    name = models.CharField(_("系统名称"), max_length=100)
    unit = models.ForeignKey(Unit, verbose_name=_("数据范围（单位）"), on_delete=models.PROTECT, related_name="+",
                             help_text=_("该系统可以读取这个单位及其下属单位的数据。"))
    token_prefix = models.CharField(_("令牌前缀"), max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("有效期至"))
    reads_warnings = models.BooleanField(
        _("可读取预警状态"), default=False,
        help_text=_("预警只给本局有关的人看；勾选后该系统可以读取范围内预警的办理状态（不含人员、事由和所依据的风险信息）。"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)

    objects = ApiClientQuerySet.as_manager()
    scope_unit_field = "unit"
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("接口调用系统")
        verbose_name_plural = _("接口调用系统")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()

    def reader(self):
        """Who the system reads as: a staff member of its unit, held in memory only (never saved,
        so it gets no mail, holds no post and cannot sign in). ``for_user`` then scopes every
        query exactly as it scopes that staff member's pages."""
        from org.choices import Role
        from org.models import User

        user = User(username=f"api-client-{self.pk}", real_name=self.name, unit=self.unit, is_active=True)
        user.__dict__["roles"] = frozenset({Role.STAFF})
        return user


class ApiClientUse(models.Model):
    """One request of a system to the internal API: who, when, what, and the answer."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    method = models.CharField(max_length=8)
    path = models.CharField(_("地址"), max_length=300)
    status = models.PositiveSmallIntegerField(_("状态码"))
    ip = models.CharField(_("来源地址"), max_length=45, blank=True)

    class Meta:
        verbose_name = _("接口调用记录")
        verbose_name_plural = _("接口调用记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["client", "-at"])]

    def __str__(self):
        return f"{self.client} {self.method} {self.path}"
