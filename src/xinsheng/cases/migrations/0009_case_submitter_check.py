"""Mark whether a named submitter's employee number and name are a person's of the enterprise.

New voices are checked as they come in (``cases.selectors.submitter_check_for``). The named cases
already stored are checked here once, against the people as they are now, with the same rule:
the names compared without spaces or middle dots, full-width folded. Anonymous cases and cases
without a number stay unchecked.
"""

import re
import unicodedata
from typing import Any

from django.db import migrations, models

BATCH = 2000
_NOT_IN_NAME = re.compile(r"[\s·・•‧.]+")


def _name_key(name: str) -> str:
    return _NOT_IN_NAME.sub("", unicodedata.normalize("NFKC", name)).casefold()


def check_named_cases(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    Person = apps.get_model("org", "Person")
    named = (
        Case.objects.filter(is_anonymous=False)
        .exclude(submitter_employee_no="")
        .values_list("pk", "submitter_employee_no", "submitter_name")
    )
    numbers = {row[1] for row in named.iterator(chunk_size=BATCH)}
    people = dict(
        Person.objects.filter(employee_no__in=numbers).values_list("employee_no", "name")
    )
    outcome: dict[str, list[int]] = {"verified": [], "name_mismatch": [], "unknown_no": []}
    for pk, number, name in named.iterator(chunk_size=BATCH):
        if number not in people:
            outcome["unknown_no"].append(pk)
        elif _name_key(people[number]) == _name_key(name):
            outcome["verified"].append(pk)
        else:
            outcome["name_mismatch"].append(pk)
    for value, pks in outcome.items():
        for start in range(0, len(pks), BATCH):
            Case.objects.filter(pk__in=pks[start : start + BATCH]).update(submitter_check=value)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_intake_key_hashed"),
        ("org", "0005_people_attributes"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="submitter_check",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "未核对"),
                    ("verified", "已核实"),
                    ("name_mismatch", "未核实：工号与姓名不符"),
                    ("unknown_no", "未核实：工号不存在"),
                ],
                default="",
                max_length=16,
                verbose_name="提出人核实",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(("is_anonymous", False), ("submitter_check", ""), _connector="OR"),
                name="cases_anonymous_is_not_checked",
            ),
        ),
        migrations.RunPython(check_named_cases, migrations.RunPython.noop, elidable=True),
    ]
