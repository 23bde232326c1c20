"""The roles of DESIGN.md as groups, with the permissions each needs now.

Later apps add their own permissions to these groups in their own migrations (by group name).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CORE_MODELS = ["region", "enterprisegroup", "enterprise", "cqoprofile", "bodymembership", "regionalregulator"]

ROLES = {
    "会员": [],
    "评委": [],
    "版主": [],
    "秘书处": [
        ("wagtailadmin", "admin", "access_admin"),
        *[("alliance_site", model, f"{verb}_{model}") for model in CORE_MODELS for verb in ("add", "change", "view")],
        ("alliance_site", "cqoprofile", "change_profile_status"),
        ("alliance_site", "bodymembership", "delete_bodymembership"),
        ("taggit", "tag", "add_tag"),
    ],
    "监管人员": [
        ("alliance_site", "enterprise", "view_enterprise"),
        ("alliance_site", "cqoprofile", "view_cqoprofile"),
        ("alliance_site", "region", "view_region"),
    ],
    "管理员": "all",
}
# Secretariat staff edit and publish the site's pages and use the image and document libraries.
STAFF_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
STAFF_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
]


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")

    def permission(app_label, model, codename):
        return Permission.objects.get(content_type__app_label=app_label, content_type__model=model, codename=codename)

    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if grants == "all":
            group.permissions.set(Permission.objects.all())
        else:
            group.permissions.set([permission(*grant) for grant in grants])

    root = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    for name in ("秘书处", "管理员"):
        group = Group.objects.get(name=name)
        for codename in STAFF_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=permission("wagtailcore", "page", codename)
            )
        for app_label, model, codenames in STAFF_COLLECTION_PERMISSIONS:
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission(app_label, model, codename)
                )


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("alliance_site", "0002_home_page"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]
    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
