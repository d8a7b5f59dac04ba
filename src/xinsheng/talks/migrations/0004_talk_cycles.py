# The date a talk request was held, and the default tier rules of 一级抓一级、分级负责谈.

from django.db import migrations, models

# The three tiers of the source document, as they stood when this migration was written. The
# administrator edits them on the tier rules page afterwards; this list is never read again.
DEFAULT_RULES = [
    {
        "name": "矿主要领导谈部门区队主要负责人",
        "order": 1,
        "host_unit_kinds": ["mine"],
        "host_ranks": ["mine_leader"],
        "host_principal": True,
        "reach": "units_below",
        "target_unit_kinds": ["department", "area"],
        "target_principal": True,
        "target_ranks": [],
        "target_groups": [],
    },
    {
        "name": "分管领导谈分管单位副科级以上干部和技术技能人才",
        "order": 2,
        "host_unit_kinds": [],
        "host_ranks": ["mine_leader"],
        "host_principal": False,
        "reach": "units_in_charge",
        "target_unit_kinds": [],
        "target_principal": False,
        "target_ranks": ["section", "deputy_section"],
        "target_groups": ["technical_talent"],
    },
    {
        "name": "部门区队负责人谈党员、管理人员、班组长和业务骨干",
        "order": 3,
        "host_unit_kinds": ["department", "area"],
        "host_ranks": [],
        "host_principal": True,
        "reach": "own_unit",
        "target_unit_kinds": [],
        "target_principal": False,
        "target_ranks": [],
        "target_groups": ["party_member", "manager", "team_leader", "backbone"],
    },
]


def install_default_rules(apps, schema_editor):
    TierRule = apps.get_model("talks", "TierRule")
    if TierRule.objects.exists():
        return
    for rule in DEFAULT_RULES:
        TierRule.objects.create(**rule)


def remove_default_rules(apps, schema_editor):
    TierRule = apps.get_model("talks", "TierRule")
    names = [rule["name"] for rule in DEFAULT_RULES]
    TierRule.objects.filter(name__in=names, pairs__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("talks", "0003_talk_records"),
    ]

    operations = [
        migrations.AddField(
            model_name="talkrequest",
            name="held_on",
            field=models.DateField(blank=True, null=True, verbose_name="约谈日期"),
        ),
        migrations.AddConstraint(
            model_name="talkrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "held"), _negated=True),
                    ("held_on__isnull", False),
                    _connector="OR",
                ),
                name="talks_request_held_has_date",
            ),
        ),
        migrations.RunPython(install_default_rules, remove_default_rules),
    ]
