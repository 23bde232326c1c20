"""The common quality methods the case library is filed under; staff may add more as snippets."""

from django.db import migrations

METHODS = [
    ("QC小组", "qc-circle", "群众性质量改进活动，按 PDCA 程序解决现场问题。"),
    ("六西格玛", "six-sigma", "以 DMAIC 为路线、以数据驱动减少过程波动。"),
    ("精益", "lean", "识别并消除浪费，缩短交付周期。"),
    ("卓越绩效", "performance-excellence", "按 GB/T 19580 卓越绩效评价准则系统提升经营质量。"),
    ("PDCA", "pdca", "计划、实施、检查、处置的持续改进循环。"),
    ("SPC", "spc", "统计过程控制：用控制图监视过程是否受控。"),
    ("FMEA", "fmea", "失效模式与影响分析，事前识别风险。"),
    ("8D", "8d", "八步法处理质量问题并防止再发。"),
    ("QFD", "qfd", "质量功能展开，把顾客需求转化为设计要求。"),
    ("防错", "poka-yoke", "在过程设计中防止差错发生或流出。"),
    ("5S", "5s", "整理、整顿、清扫、清洁、素养的现场管理。"),
    ("质量管理体系", "qms", "按 GB/T 19001 建立并持续改进质量管理体系。"),
]


def create_methods(apps, schema_editor):
    QualityMethod = apps.get_model("cases", "QualityMethod")
    for order, (name, slug, description) in enumerate(METHODS, start=1):
        QualityMethod.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(create_methods, migrations.RunPython.noop)]
