from django.db import migrations

# The page cache serves pages without loading the second-factor device, on the word of the data
# version (accounts/page_cache.py): the device tables must carry the version's trigger, which
# `migrate` puts on every tracked table once the migrations are applied (accounts/data_version.py).
# There is nothing to change here: this migration makes /readyz answer 503 on a database that has
# not been migrated since, so that no server serves pages before the devices are tracked.


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_access_log_serving"),
        ("otp_static", "0003_add_timestamps"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
