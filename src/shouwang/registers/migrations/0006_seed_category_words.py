"""The category words the importer knew before they became a table, as its defaults: a fresh
database reads sheets exactly as before."""

import re
import unicodedata

from django.db import migrations

WORDS = {
    "学校": "school", "中学": "school", "小学": "school", "幼儿园": "kindergarten", "医院": "hospital",
    "加油站": "petroleum", "变电站": "power", "供电": "power", "供水": "water", "自来水": "water", "水厂": "water",
    "燃气": "gas", "天然气": "gas", "煤气": "gas",
    "银行": "finance", "金融": "finance", "邮政": "postal", "市场": "market", "农贸市场": "market",
    "宾馆": "hotel", "酒店": "hotel", "影院": "cinema", "电影院": "cinema", "广场": "square",
    "地铁站": "railway_station", "火车站": "railway_station", "铁路道口": "railway_crossing",
    "桥梁": "bridge", "涵洞": "culvert", "公交站": "transport_stop", "基站": "base_station",
    "景区": "scenic_spot", "地下空间": "underground_space", "商业中心": "commercial_centre",
    "会展中心": "commercial_centre", "人员密集街道": "crowded_street",
}


def key(word):
    """As core.sheets.header_key compares it (frozen here: a migration does not follow the code)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", word)).lower()


def seed(apps, schema_editor):
    CategoryWord = apps.get_model("registers", "CategoryWord")
    for word, category in WORDS.items():
        CategoryWord.objects.get_or_create(key=key(word), defaults={"word": word, "category": category})


def unseed(apps, schema_editor):
    apps.get_model("registers", "CategoryWord").objects.filter(key__in=[key(w) for w in WORDS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("registers", "0005_categoryword"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
