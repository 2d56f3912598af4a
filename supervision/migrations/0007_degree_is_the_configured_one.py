"""The benchmark rows' and filings' degree is now the bureau's configured one: the stored code
gives way to the reference filled in by 0006."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("supervision", "0006_degrees_from_codes")]

    operations = [
        migrations.RemoveField(model_name="benchmarkrow", name="degree"),
        migrations.RemoveField(model_name="historicalbenchmarkrow", name="degree"),
        migrations.RemoveField(model_name="filing", name="degree"),
        migrations.RemoveField(model_name="historicalfiling", name="degree"),
        migrations.RenameField(model_name="benchmarkrow", old_name="degree_ref", new_name="degree"),
        migrations.RenameField(model_name="historicalbenchmarkrow", old_name="degree_ref", new_name="degree"),
        migrations.RenameField(model_name="filing", old_name="degree_ref", new_name="degree"),
        migrations.RenameField(model_name="historicalfiling", old_name="degree_ref", new_name="degree"),
        migrations.AlterField(
            model_name="benchmarkrow", name="degree",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="supervision.violationdegree", verbose_name="违法程度"),
        ),
        migrations.AlterField(
            model_name="filing", name="degree",
            field=models.ForeignKey(blank=True, help_text="所选裁量基准的违法程度；显示的名称以备案时已公布的为准。", null=True,
                                    on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="supervision.violationdegree", verbose_name="违法程度"),
        ),
        migrations.AlterField(
            model_name="historicalfiling", name="degree",
            field=models.ForeignKey(blank=True, db_constraint=False, help_text="所选裁量基准的违法程度；显示的名称以备案时已公布的为准。",
                                    null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                    to="supervision.violationdegree", verbose_name="违法程度"),
        ),
    ]
