"""Model permissions for a role's group, given in an app's data migration.

An app whose models staff manage in the admin grants them in a migration of its own:

    def grant(apps, schema_editor):
        grants.grant_model_permissions(apps, "events", ["trainingrecord"])

    def revoke(apps, schema_editor):
        grants.revoke_model_permissions(apps, "events")

The role's group is found by its stable code (`RoleGroup`, from alliance_site 0013 on); a migration that runs
before that finds it by the name the groups were created with (roles.GROUP_NAMES).
"""

from django.contrib.auth.management import create_permissions

from alliance_site.accounts.roles import GROUP_NAMES, STAFF

MODEL_VERBS = ("add", "change", "delete", "view")


def role_group(apps, role):
    Group = apps.get_model("auth", "Group")
    try:
        apps.get_model("alliance_site", "RoleGroup")
    except LookupError:  # this migration runs before role groups had codes
        return Group.objects.get_or_create(name=GROUP_NAMES[role])[0]
    return Group.objects.get(role__code=role)


def grant_model_permissions(apps, app_label, models, role=STAFF, verbs=MODEL_VERBS):
    """Give the role's group the permissions of these models of the app (lower-case model names)."""
    # Permissions are normally created after all migrations ran; make sure the app's exist now.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    role_group(apps, role).permissions.add(
        *Permission.objects.filter(
            content_type__app_label=app_label,
            content_type__model__in=models,
            codename__regex=rf"^({'|'.join(verbs)})_",
        )
    )


def revoke_model_permissions(apps, app_label, role=STAFF):
    Permission = apps.get_model("auth", "Permission")
    role_group(apps, role).permissions.remove(*Permission.objects.filter(content_type__app_label=app_label))
