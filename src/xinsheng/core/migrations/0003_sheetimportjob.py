"""The job of every spreadsheet import (``core.sheets``), one table for all import kinds.

It replaces the org app's ``ImportJob`` and the ledger's ``LedgerImportJob``, which the
migrations ``org.0004`` and ``cases.0007`` drop. Their rows are not copied: an import job is
transient (an upload waiting for its dry run or its apply), and an applied import stays on
record in the audit log.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SheetImportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('kind', models.CharField(max_length=40, verbose_name='导入类型')),
                ('file_name', models.CharField(max_length=200, verbose_name='文件名')),
                ('content', models.BinaryField(verbose_name='文件内容')),
                ('language', models.CharField(default='zh-hans', max_length=16, verbose_name='语言')),
                ('status', models.CharField(choices=[('queued', '排队中'), ('checking', '预检中'), ('checked', '已预检'), ('applying', '写入中'), ('applied', '已导入'), ('failed', '失败')], default='queued', max_length=16, verbose_name='状态')),
                ('total_rows', models.PositiveIntegerField(default=0, verbose_name='数据行数')),
                ('checked_rows', models.PositiveIntegerField(default=0, verbose_name='已检查行数')),
                ('error_count', models.PositiveIntegerField(default=0, verbose_name='错误数')),
                ('change_count', models.PositiveIntegerField(default=0, verbose_name='新增和修改行数')),
                ('report', models.JSONField(blank=True, null=True, verbose_name='预检结果')),
                ('digest', models.CharField(blank=True, max_length=64)),
                ('message', models.CharField(blank=True, max_length=500, verbose_name='说明')),
                ('checked_at', models.DateTimeField(blank=True, null=True, verbose_name='预检时间')),
                ('applied_at', models.DateTimeField(blank=True, null=True, verbose_name='导入时间')),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='导入人')),
            ],
            options={
                'verbose_name': '导入任务',
                'verbose_name_plural': '导入任务',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['actor', 'kind', '-created_at'], name='core_sheet_import_actor')],
            },
        ),
    ]
