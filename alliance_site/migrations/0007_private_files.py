"""Move uploads that not everyone may see out of the public media into private storage, under random names.

Until now every upload lay under MEDIA_ROOT with the uploader's file name, where any web server serving the
media handed it to anyone. Each file is copied into the private storage (a random folder is added to its name),
every row naming it is pointed at the new name, and the public copy is deleted. Files already private, or
missing from the public media, are left as they are, so the migration may run again. There is no way back:
moving the files back would publish them again.
"""

from django.core.files.storage import storages
from django.db import migrations

# (app label, model, field) of every upload that is private now; Wagtail's documents included.
PRIVATE_FILE_FIELDS = [
    ("wagtaildocs", "Document", "file"),
    ("alliance_site", "CQOProfile", "appointment_letter"),
    ("alliance_site", "CQOProfile", "photo"),
    ("alliance_site", "CQOWarning", "evidence"),
    ("alliance_site", "Filing", "letter"),
]


def move_to_private_storage(apps, schema_editor):
    from alliance_site.files.storage import is_private_name

    public, private = storages["public_media"], storages["private_media"]
    names = set()
    for app_label, model_name, field in PRIVATE_FILE_FIELDS:
        model = apps.get_model(app_label, model_name)
        names.update(model.objects.exclude(**{field: ""}).values_list(field, flat=True).distinct())
    moved = {}
    for name in sorted(names):
        if not is_private_name(name) or private.exists(name) or not public.exists(name):
            continue
        with public.open(name, "rb") as content:
            moved[name] = private.save(name, content)
    for app_label, model_name, field in PRIVATE_FILE_FIELDS:
        model = apps.get_model(app_label, model_name)
        for old, new in moved.items():
            model.objects.filter(**{field: old}).update(**{field: new})
    # Only once every row points at its private copy does the public one go.
    for name in moved:
        public.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("alliance_site", "0006_talent_pool"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(move_to_private_storage, migrations.RunPython.noop)]
