"""Replace Wagtail's placeholder root with the platform's home page, served for every host."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("alliance_site.HomePage")

    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="alliance_site")
    locale = Locale.objects.first()
    home = HomePage.objects.create(
        title="首席质量官平台",
        draft_title="首席质量官平台",
        seo_title="山西省企业首席质量官平台",
        slug="home",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
        lead="首席质量官自学提升、交流分享信息平台",
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="首席质量官平台")


def remove_home_page(apps, schema_editor):
    apps.get_model("alliance_site.HomePage").objects.filter(depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("alliance_site", "0001_initial"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(create_home_page, remove_home_page)]
