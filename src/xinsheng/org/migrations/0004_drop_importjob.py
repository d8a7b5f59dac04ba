"""Drop ``ImportJob``: imports of units and people are now jobs of the spreadsheet kit.

Existing jobs are dropped, not copied into ``core.SheetImportJob``: they are transient (an
upload waiting for its dry run or its apply), and every applied import stays in the audit log.
Pending uploads have to be uploaded again.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_sheetimportjob"),
        ('org', '0003_drop_duplicate_path_index'),
    ]

    operations = [
        migrations.DeleteModel(
            name='ImportJob',
        ),
    ]
