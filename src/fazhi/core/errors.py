"""Errors that services raise; views, the API and commands turn them into Chinese messages.

Every error carries a stable ``code`` (for machines), a ``message`` in Chinese (for people) and, when it is
about one input, the ``field``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


class FazhiError(Exception):
    status = 400
    code = "invalid"
    default_message = "请求有误"

    def __init__(self, message: str | None = None, *, code: str | None = None, field: str = "") -> None:
        self.message = message or self.default_message
        if code:
            self.code = code
        self.field = field
        super().__init__(self.message)

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        return body


class ValidationFailed(FazhiError):
    """One or more inputs are wrong; ``errors`` lists each one."""

    status = 422
    code = "validation_failed"
    default_message = "输入有误，请按提示修改"

    def __init__(self, errors: list[FieldError] | FieldError, message: str | None = None) -> None:
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        first = self.errors[0].message if len(self.errors) == 1 else None
        super().__init__(message or first or self.default_message)

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "errors": [e.as_dict() for e in self.errors]}


class NotFound(FazhiError):
    """Missing, or outside the caller's jurisdiction: the two must look the same."""

    status = 404
    code = "not_found"
    default_message = "未找到该记录"


class Forbidden(FazhiError):
    status = 403
    code = "forbidden"
    default_message = "您没有执行此操作的权限"


class Conflict(FazhiError):
    status = 409
    code = "conflict"
    default_message = "该操作与现有记录冲突"


class StorageUnavailable(FazhiError):
    """The file store (MEDIA_ROOT) refused a write: full, read-only or gone. Nothing was saved."""

    status = 503
    code = "storage_unavailable"
    default_message = "附件存储暂时无法写入（空间已满或为只读），本次提交未保存，请稍后重试或联系系统管理员"


@dataclass
class ErrorList:
    """Collects field errors so a form or a row can report all of them at once."""

    items: list[FieldError] = field(default_factory=list)

    def add(self, field_name: str, code: str, message: str) -> None:
        self.items.append(FieldError(field_name, code, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)
