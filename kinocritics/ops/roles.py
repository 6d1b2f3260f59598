"""Editorial roles: who may write, who may publish, who runs the site.

Written for both the data migration (historical `apps`) and runtime (the real registry), so every
function takes the app registry it should use.

- **Critic**: drafts reviews and articles and submits them for moderation; may edit only pages
  they own (Wagtail's "add" page permission), never publish.
- **Editor**: edits and publishes every page, approves the "Editor approval" workflow task,
  manages films, people, critics, cinemas, festivals and media.
- **Admin**: everything an editor does, plus users, groups, sites, workflows, redirects and
  login lockouts.
"""

from dataclasses import dataclass, field

ROOT = "root"
REVIEW_INDEX = ("reviews", "reviewindexpage")
ARTICLE_INDEX = ("festivals", "articleindexpage")
ALL_PAGE_PERMISSIONS = ("add", "change", "publish", "bulk_delete", "lock", "unlock")

# App labels whose models editors manage in full (snippets, cinemas, festivals, newsletter…).
CONTENT_APPS = (
    "core",
    "films",
    "critics",
    "reviews",
    "cinemas",
    "festivals",
    "newsletter",
    "search",
)
ADMIN_MODELS = (
    ("auth", "user"),
    ("auth", "group"),
    ("wagtailcore", "site"),
    ("wagtailcore", "collection"),
    ("wagtailcore", "workflow"),
    ("wagtailcore", "task"),
    ("wagtailredirects", "redirect"),
    ("axes", "accessattempt"),
    ("axes", "accessfailurelog"),
    ("axes", "accesslog"),
)

WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Editor approval"
# Wagtail's own first migration creates these; our roles replace them.
WAGTAIL_DEFAULT_GROUP = "Moderators"
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


@dataclass(frozen=True)
class Role:
    key: str
    group: str
    description: str
    # (page locator, page permission types): ROOT, or (app_label, model) of a singleton index page.
    pages: tuple[tuple[object, tuple[str, ...]], ...]
    # Codenames on Wagtail's root collection for images and documents.
    collections: tuple[str, ...]
    content_apps: tuple[str, ...] = ()
    models: tuple[tuple[str, str], ...] = field(default=())
    approves: bool = False


MEDIA_MANAGE = (
    "add_image", "change_image", "choose_image", "delete_image",
    "add_document", "change_document", "choose_document", "delete_document",
)  # fmt: skip

ROLES: dict[str, Role] = {
    "critic": Role(
        key="critic",
        group="Critics",
        description="drafts own reviews and articles, submits them for moderation",
        pages=((REVIEW_INDEX, ("add",)), (ARTICLE_INDEX, ("add",))),
        collections=("add_image", "choose_image", "choose_document"),
    ),
    "editor": Role(
        key="editor",
        group="Editors",
        description="edits, approves and publishes; manages the catalogue and media",
        pages=((ROOT, ALL_PAGE_PERMISSIONS),),
        collections=MEDIA_MANAGE,
        content_apps=CONTENT_APPS,
        approves=True,
    ),
    "admin": Role(
        key="admin",
        group="Admins",
        description="everything editors do, plus users, groups, sites, workflows, lockouts",
        pages=((ROOT, ALL_PAGE_PERMISSIONS),),
        collections=MEDIA_MANAGE,
        content_apps=CONTENT_APPS,
        models=ADMIN_MODELS,
        approves=True,
    ),
}
ROLE_GROUPS = {role.group for role in ROLES.values()}


def _page(apps, locator):
    Page = apps.get_model("wagtailcore", "Page")
    if locator == ROOT:
        return Page.objects.filter(depth=1).first()
    app_label, model = locator
    return Page.objects.filter(content_type__app_label=app_label, content_type__model=model).first()


def _permission(apps, app_label: str, codename: str):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def roles_setup(*, apps) -> None:
    """Create the role groups, their page and media permissions, and the editorial workflow."""
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    root_collection = Collection.objects.filter(depth=1).first()

    groups = {}
    for role in ROLES.values():
        group, _ = Group.objects.get_or_create(name=role.group)
        groups[role.key] = group
        access = _permission(apps, "wagtailadmin", "access_admin")
        if access is not None:
            group.permissions.add(access)
        for locator, kinds in role.pages:
            page = _page(apps, locator)
            if page is None:
                continue
            for kind in kinds:
                permission = _permission(apps, "wagtailcore", f"{kind}_page")
                GroupPagePermission.objects.get_or_create(
                    group=group, page=page, permission=permission
                )
        if root_collection is not None:
            for codename in role.collections:
                app_label = "wagtailimages" if codename.endswith("image") else "wagtaildocs"
                permission = _permission(apps, app_label, codename)
                if permission is not None:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )

    _workflow_setup(apps=apps, approvers=[g for k, g in groups.items() if ROLES[k].approves])
    # Wagtail's starter group would publish outside the roles; drop it unless someone uses it.
    Group.objects.filter(name=WAGTAIL_DEFAULT_GROUP, user__isnull=True).delete()


def _workflow_setup(*, apps, approvers) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=content_type, active=True
        )
    task.groups.add(*approvers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    root = _page(apps, ROOT)
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).update(active=False)
    GroupApprovalTask.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).update(active=False)


def roles_sync_model_permissions(*, apps) -> int:
    """Give existing role groups every model permission their role lists; returns how many added.

    Runs after each `migrate`, so models added later (a new app, a new snippet) join the editors'
    and admins' permissions without another data migration. Never removes a permission and never
    creates a group.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    added = 0
    for role in ROLES.values():
        group = Group.objects.filter(name=role.group).first()
        if group is None:
            continue
        wanted = Permission.objects.none()
        if role.content_apps:
            wanted = Permission.objects.filter(content_type__app_label__in=role.content_apps)
        for app_label, model in role.models:
            wanted = wanted | Permission.objects.filter(
                content_type__app_label=app_label, content_type__model=model
            )
        have = set(group.permissions.values_list("pk", flat=True))
        missing = [pk for pk in wanted.values_list("pk", flat=True) if pk not in have]
        group.permissions.add(*missing)
        added += len(missing)
    return added
