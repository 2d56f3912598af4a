"""The review expert (评审专家) role, for 专家评: reads the bureau's register, proposes risk points."""

from django.db import migrations


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="expert")


class Migration(migrations.Migration):
    dependencies = [("org", "0003_post_is_key"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_role, migrations.RunPython.noop)]
