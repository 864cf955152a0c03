# Household search ignores accents (« traore » finds « Traoré »): it needs PostgreSQL's unaccent.
# Creating an extension needs the CREATE privilege on the database (or a superuser).

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0003_anonymisation"),
    ]

    operations = [
        UnaccentExtension(),
    ]
