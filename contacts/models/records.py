"""What the CRM keeps about its own work: background jobs, the history of changes, merges,
duplicate scans and dismissals, and saved views of the contacts list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from contacts.models.contacts import Contact
from projects.models import Project


class Job(models.Model):
    """A piece of long work (an import, a large export, a bulk action) run by a task worker.

    The task updates `done`/`total` as it goes, so the job page can show progress, and leaves a
    summary in `result` and, where there is one, a file to download.
    """

    class Kind(models.TextChoices):
        IMPORT = "import", "Import"
        EXPORT = "export", "Export"
        BULK = "bulk", "Bulk action"
        PURGE = "purge", "Trash purge"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="crm_jobs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_created_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jobs:job-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        """How far along, 0–100, or None while the amount of work is not known."""
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


class Channel(models.TextChoices):
    """Where a change came in: the UI, the admin, a dialect, the web form, or work of the CRM's own."""

    WEB = "web", "Web"
    ADMIN = "admin", "Admin"
    WEBFORM = "webform", "Web form"
    IMPORT = "import", "Import"
    MERGE = "merge", "Merge"
    SYSTEM = "system", "System"
    REDMINE = "redmine", "Redmine API"
    ONLYOFFICE = "onlyoffice", "ONLYOFFICE API"
    INCWO = "incwo", "incwo API"
    INCOPLAX = "incoplax", "Incoplax API"


class ChangeAction(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    DELETED = "deleted", "Moved to the trash"
    RESTORED = "restored", "Restored"
    MERGED = "merged", "Merged"
    IMPORTED = "imported", "Imported"


class ContactChange(models.Model):
    """One entry of a contact's history: who changed what, when, and through which channel.

    `changes` maps a field's label to its old and new values as display strings.
    """

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="crm_changes"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.SYSTEM)
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["contact", "-at"], name="contactchange_contact_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.contact_id} ({self.channel})"


class MergeRecord(models.Model):
    """Contacts merged into a survivor, with what undoing the merge needs.

    `before` holds the survivor's values the merge changed (fields by name, custom values as
    `cf_<field id>`); `moved` the ids of the rows that moved to the survivor, by kind, with where
    each came from. The merged-away contacts themselves wait in the trash (see
    contacts/services/merge.py). Contacts are named by id, not by foreign key, so deleting a
    contact anywhere in the CRM costs no look-up in this table.
    """

    survivor_id = models.BigIntegerField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_ids = models.JSONField(default=list)
    merged_names = models.JSONField(default=list)
    before = models.JSONField(default=dict)
    moved = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{', '.join(self.merged_names)} into #{self.survivor_id}"


class DuplicateDismissal(models.Model):
    """Two contacts (by id, the lower first) someone said are not duplicates: the pair stops showing
    among the duplicates. By id, not by foreign key, as MergeRecord: a deleted contact's pairs are
    never listed again anyway."""

    first_id = models.BigIntegerField()
    second_id = models.BigIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first_id", "second_id"], name="unique_duplicate_dismissal"),
            models.CheckConstraint(condition=Q(first_id__lt=F("second_id")), name="duplicate_dismissal_ordered"),
        ]

    def __str__(self) -> str:
        return f"#{self.first_id} and #{self.second_id} are not duplicates"


class DuplicateScan(models.Model):
    """One run of the duplicate rules over every live contact (contacts.duplicates): the groups of
    contact ids each rule found. The duplicates page reads the latest finished scan, so its cost does
    not grow with the number of contacts; a scan runs as a background task when the page finds the
    latest one older than the newest change (see `duplicate_scan_stale`)."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The newest item when the scan began: a later item (a phone added in bulk, say) makes it stale.
    last_item_id = models.BigIntegerField(default=0)
    # {"email": [[3, 17], ...], "phone": [...], "name_company": [...], "similar_name": [...]}
    groups = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["finished_at", "id"], name="duplicatescan_finished_idx")]

    def __str__(self) -> str:
        return f"Duplicate scan of {self.started_at:%Y-%m-%d %H:%M}"


class SavedView(models.Model):
    """A named filter and sort of the contacts list, kept as the list's query string.

    Personal (no project: only its owner sees it) or shared with a project (every member of the
    project sees it). Its owner and the project's managers rename and delete it.
    """

    name = models.CharField(max_length=100)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_views",
        help_text="Share the view with this project's members; empty keeps it personal.",
    )
    query = models.TextField(blank=True, help_text="The contacts list's query string: filters and sort.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        url = reverse("contacts:contact-list")
        return f"{url}?{self.query}&view={self.pk}" if self.query else f"{url}?view={self.pk}"
