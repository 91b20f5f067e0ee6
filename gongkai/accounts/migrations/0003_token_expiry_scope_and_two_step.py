"""API tokens gain an expiry, a scope and a name; two-step sign-in (TOTP) and recovery codes.

Tokens issued before could write everywhere their user may and never expired: they keep their
reach, and expire API_TOKEN_DAYS from now, so every old token ends in time.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import gongkai.lib.encrypted_field


def existing_tokens(apps, schema_editor):
    import datetime

    from django.conf import settings
    from django.utils import timezone

    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.update(
        scope="catalog applications interaction reports",
        expires_at=timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_home_unit"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="有效期至"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="name",
            field=models.CharField(blank=True, max_length=100, verbose_name="用途"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(default="read", max_length=100, verbose_name="权限范围"),
        ),
        migrations.CreateModel(
            name="TwoFactorDevice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("secret", gongkai.lib.encrypted_field.EncryptedTextField(verbose_name="密钥")),
                (
                    "confirmed_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="启用时间"
                    ),
                ),
                ("last_step", models.BigIntegerField(default=0)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="two_factor",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "两步验证",
                "verbose_name_plural": "两步验证",
            },
        ),
        migrations.CreateModel(
            name="RecoveryCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("digest", models.CharField(max_length=64)),
                ("used_at", models.DateTimeField(blank=True, null=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="recovery_codes",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "恢复码",
                "verbose_name_plural": "恢复码",
                "constraints": [
                    models.UniqueConstraint(fields=("user", "digest"), name="recovery_code_unique")
                ],
            },
        ),
        migrations.RunPython(existing_tokens, migrations.RunPython.noop),
    ]
