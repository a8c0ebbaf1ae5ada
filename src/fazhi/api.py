"""The REST API root: ``/api/v1/``. Each app contributes a router from its ``api.py``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.errors import HttpError as NinjaHttpError
from ninja.renderers import JSONRenderer

from fazhi import __version__
from fazhi.core.api_errors import translate
from fazhi.core.errors import FazhiError


class ChineseJSONRenderer(JSONRenderer):
    """Chinese text stays readable in responses (UTF-8, not \\u escapes)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="fazhi 法治政府建设信息平台 API",
    version=__version__,
    description=(
        "公开接口无需登录；工作人员接口使用登录会话（Cookie），写操作需要 CSRF 令牌。"
        "所有错误都以 JSON 返回：`code`（稳定的错误代码）与 `message`（中文说明），"
        "逐项错误在 `errors` 中列出 `field`、`code`、`message`。"
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(FazhiError)
def _fazhi_error(request: HttpRequest, exc: FazhiError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = translate(list(exc.errors))
    message = errors[0]["message"] if len(errors) == 1 else "请求参数有误，请按提示修改"
    return api.create_response(request, {"code": "validation_failed", "message": message, "errors": errors}, status=422)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"code": "not_found", "message": "未找到该记录"}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"code": "forbidden", "message": "您没有执行此操作的权限"}, status=403)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"code": "unauthenticated", "message": "请先登录"}, status=401)


_HTTP_MESSAGES = {
    400: "请求无法解析：请求体应为有效的 JSON",
    401: "请先登录",
    403: "您没有执行此操作的权限",
    404: "未找到该记录",
    405: "该接口不支持这种请求方法",
    413: "请求内容太大",
    429: "请求过于频繁，请稍后再试",
}


@api.exception_handler(NinjaHttpError)
def _http_error(request: HttpRequest, exc: NinjaHttpError) -> HttpResponse:
    message = _HTTP_MESSAGES.get(exc.status_code, "请求有误")
    return api.create_response(
        request, {"code": f"http_{exc.status_code}", "message": message, "detail": str(exc)}, status=exc.status_code
    )


api.add_router("/clock", "fazhi.clock.api.router")
api.add_router("/", "fazhi.org.api.router")
api.add_router("/audit", "fazhi.audit.api.router")
api.add_router("/", "fazhi.publicity.api.router")
api.add_router("/ingest", "fazhi.ingest.api.router")
api.add_router("/", "fazhi.portal.api.router")
api.add_router("/enforcement", "fazhi.enforcement.api.router")
api.add_router("/discretion", "fazhi.discretion.api.router")
api.add_router("/cases", "fazhi.cases.api.router")
api.add_router("/oversight", "fazhi.oversight.api.router")
api.add_router("/supervision", "fazhi.supervision.api.router")
api.add_router("/reports", "fazhi.reports.api.router")
