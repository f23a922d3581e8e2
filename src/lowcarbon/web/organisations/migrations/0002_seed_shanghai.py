"""Seed the municipal bureau and Shanghai's 16 districts, each with its 区生态环境局.

Codes are the GB/T 2260 administrative division codes. Each seeded organisation gets an audit
event (actor "system"), so the log accounts for every row.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

MUNICIPAL_BUREAU = "上海市生态环境局"
DISTRICTS = [
    ("310101", "黄浦区"),
    ("310104", "徐汇区"),
    ("310105", "长宁区"),
    ("310106", "静安区"),
    ("310107", "普陀区"),
    ("310109", "虹口区"),
    ("310110", "杨浦区"),
    ("310112", "闵行区"),
    ("310113", "宝山区"),
    ("310114", "嘉定区"),
    ("310115", "浦东新区"),
    ("310116", "金山区"),
    ("310117", "松江区"),
    ("310118", "青浦区"),
    ("310120", "奉贤区"),
    ("310151", "崇明区"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    district_model = apps.get_model("organisations", "District")
    organisation_model = apps.get_model("organisations", "Organisation")
    audit_event = apps.get_model("audit", "AuditEvent")

    def audited(organisation: Any) -> None:
        audit_event.objects.create(
            actor_label="system",
            action="organisation_seeded",
            object_type="organisations.Organisation",
            object_id=str(organisation.pk),
            after={
                "kind": organisation.kind,
                "name": organisation.name,
                "parent_id": organisation.parent_id,
                "district_id": organisation.district_id,
            },
            reason="seed migration organisations.0002",
        )

    municipal = organisation_model.objects.create(kind="municipal_bureau", name=MUNICIPAL_BUREAU)
    audited(municipal)
    for code, name in DISTRICTS:
        district = district_model.objects.create(code=code, name=name)
        bureau = organisation_model.objects.create(
            kind="district_bureau", name=f"{name}生态环境局", parent=municipal, district=district
        )
        audited(bureau)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
