"""System checks for the key that signs certificate QR codes (``fazhi check --deploy``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Info, Tags, register
from django.core.exceptions import ImproperlyConfigured

from . import signing


@register(Tags.security, deploy=True)
def signing_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        signing.private_key()
    except (ImproperlyConfigured, OSError, ValueError, TypeError) as exc:
        return [
            Error(
                f"执法证二维码签名密钥无法读取：{exc}",
                hint="FAZHI_SIGNING_KEY 应为 Ed25519 私钥（PEM 文本或文件路径），"
                "例如 openssl genpkey -algorithm ed25519 生成",
                id="fazhi.enforcement.E001",
            )
        ]
    value = settings.FAZHI_SIGNING_KEY
    if Path(value).parent == Path(settings.DATA_DIR) and not value.lstrip().startswith("-----BEGIN"):
        return [
            Info(
                f"执法证二维码使用数据目录中生成的签名密钥 {value}（公钥编号 {signing.key_id()}）。",
                hint="请与数据一起备份；丢失后已印制的二维码将无法离线核验。也可用 FAZHI_SIGNING_KEY 指定密钥。",
                id="fazhi.enforcement.I001",
            )
        ]
    return []
