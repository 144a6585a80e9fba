"""The HTTP API for institutions' reporting systems (issue 15 §2), versioned under /api/v1.

    python -m scoring api --db P --host 127.0.0.1 --port 8616

- `POST /api/v1/submissions` — multipart files (field `files`, optional `period` fields 'YYYY-MM'):
  the same validation and scoping as the import page (`scoring.receipts.submit`, as the token's
  institution). The response is the receipt: HTTP 200 accepted, 422 refused.
- `GET /api/v1/submissions/{id}` — a receipt of the caller's institution; any other id is 404,
  so another institution's submission is never confirmed to exist.
- `GET /api/v1/status` — the caller's reporting status per period (`scoring.reporting`).
- `GET /api/v1/results/{year}` — the caller's row of the year's final published evaluation with
  its indicators (a superseded run is never served).
- `GET /api/v1/openapi.json` — the OpenAPI 3.1 schema of all of it.

Every request needs `Authorization: Bearer <token>` (`python -m scoring token add`), else 401.
Every use of a token, and every refused token, is a step of the workflow trail. Requests are
throttled per token (and refused tokens per client address); the request size limit is the
importer's file limit. Errors are JSON `{"error": "<Chinese message>"}`. Writes take the writer
lock (`scoring.writer`), the same lock as the app's imports when the API runs inside the app's
process (`JIGAI_API_PORT`, `serve_in_background`).
"""

from __future__ import annotations

import math
import os
import re
import threading
import time
from collections.abc import Callable
from datetime import date, datetime

import duckdb
import pandas as pd
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from scoring import published, receipts, reporting, tokens
from scoring.access import Scope
from scoring.importing.limits import Limits, size_text
from scoring.runs import RunError, load_run

VERSION = "/api/v1"
AS_OF_PATTERN = r"^(200[4-9]|20[12][0-9]|2030)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"  # the R9 calendar's years
MAX_FILES = 64  # files (and form fields) in one request
RATE_ENV, BURST_ENV = "JIGAI_API_RATE", "JIGAI_API_BURST"  # requests per minute per token, and the burst allowed


class Throttle:
    """A token bucket per key: `burst` requests at once, refilled at `rate` per minute."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate, self.burst, self.clock = rate / 60.0, burst, clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """0 when a request may go now (and counts it), else the seconds until one may."""
        with self._lock:
            now = self.clock()
            level, last = self._buckets.get(key, (float(self.burst), now))
            level = min(float(self.burst), level + (now - last) * self.rate)
            if level >= 1:
                self._buckets[key] = (level - 1, now)
                return 0.0
            self._buckets[key] = (level, now)
            return (1 - level) / self.rate


def error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def create_app(con: duckdb.DuckDBPyConnection, clock: Callable[[], datetime] = datetime.now,
               limits: Limits | None = None, throttle: Throttle | None = None) -> Starlette:
    """The API on the open database `con` (each request works on a cursor of it)."""
    limits = limits or Limits.from_env()
    throttle = throttle or Throttle(float(os.environ.get(RATE_ENV, 120)), int(os.environ.get(BURST_ENV, 30)))

    def guarded(handler):
        """Authenticate, throttle, run the handler on a cursor, record the use."""
        async def endpoint(request: Request):
            client = request.client.host if request.client else "未知"
            presented = request.headers.get("authorization", "")
            scheme, _, value = presented.partition(" ")
            with _cursor(con) as cur:
                token = tokens.authenticate(cur, value.strip()) if scheme.lower() == "bearer" else None
            key = f"token:{token.token_id}" if token else f"client:{client}"
            wait = throttle.wait(key)
            if wait > 0:
                return error(429, f"请求过于频繁，请 {math.ceil(wait)} 秒后再试。", {"Retry-After": str(math.ceil(wait))})
            line = f"{request.method} {request.url.path}"
            if token is None:
                with _cursor(con) as cur:
                    tokens.record_use(cur, None, line, 401, client)
                return error(401, "未提供有效的 API 令牌：请在请求头中使用 Authorization: Bearer <令牌>。"
                                  "令牌由监管部门用 python -m scoring token add 签发。", {"WWW-Authenticate": "Bearer"})
            scope = Scope("institution", inst_id=token.inst_id)
            response = await handler(request, scope, token)
            with _cursor(con) as cur:
                tokens.record_use(cur, token, line, response.status_code, client)
            return response
        return endpoint

    async def submit(request: Request, scope: Scope, token: tokens.Token):
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            return error(411, "请求须带 Content-Length（上传大小上限为导入上限）。")
        if int(length) > limits.file_bytes:
            return error(413, f"请求过大：{size_text(int(length))}，上限 {size_text(limits.file_bytes)}（与导入上限相同）。")
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            return error(415, "请以 multipart/form-data 上传文件（字段名 files，可多个；可选字段 period，如 2026-10）。")
        try:
            async with request.form(max_files=MAX_FILES, max_fields=MAX_FILES) as form:
                files = [item for item in form.getlist("files") if hasattr(item, "read")]
                periods = [str(p) for p in form.getlist("period") if isinstance(p, str)]
                sources = [(item.filename or "未命名文件", await item.read()) for item in files]
        except HTTPException as problem:
            return error(400, f"无法解析上传内容（multipart/form-data）：{problem.detail}")
        except Exception as problem:  # a malformed body is the client's fault, never a 500
            return error(400, f"无法解析上传内容（multipart/form-data）：{type(problem).__name__}")
        if not sources and not periods:
            return error(400, "没有上传文件：请在字段 files 中上传 CSV 或 XLSX 报送文件（零报告可只填 period）。")
        try:
            with _cursor(con) as cur:
                report = receipts.submit(cur, sources, user=f"API 令牌 {token.token_id}", inst_id=scope.inst_id,
                                         channel="api", declared=periods, limits=limits, clock=clock)
                receipt = receipts.receipt(cur, report.submission_id, scope)
        except ValueError as problem:
            return error(400, str(problem))
        return JSONResponse(receipts.receipt_json(receipt), status_code=200 if receipt.accepted else 422)

    async def get_submission(request: Request, scope: Scope, token: tokens.Token):
        submission_id = request.path_params["submission_id"]
        with _cursor(con) as cur:
            receipt = receipts.receipt(cur, submission_id, scope)
        if receipt is None:
            return error(404, f"没有回执 {submission_id[:80]}。")
        return JSONResponse(receipts.receipt_json(receipt))

    async def status(request: Request, scope: Scope, token: tokens.Token):
        as_of = request.query_params.get("as_of")
        try:
            if as_of is not None and not re.fullmatch(AS_OF_PATTERN, as_of):
                raise ValueError
            day = date.fromisoformat(as_of) if as_of is not None else clock().date()
        except ValueError:
            return error(400, f"as_of 应为 2004–2030 年内 YYYY-MM-DD 格式的日期，实际为“{(as_of or '')[:40]}”。")
        try:
            with _cursor(con) as cur:
                frame = reporting.reporting_status(cur, day, scope)
        except ValueError as problem:
            return error(400, str(problem))
        return JSONResponse({"inst_id": scope.inst_id, "as_of": day.isoformat(), "periods": [
            {"period": r.period, "deadline": r.deadline.isoformat(), "status": r.status, "status_label": r.status_label,
             "working_days_late": int(r.working_days_late), "submissions": int(r.submissions),
             "corrections": int(r.corrections),
             "first_submitted_at": None if pd.isna(r.first_at) else r.first_at.isoformat(timespec="seconds")}
            for r in frame.itertuples()]})

    async def results(request: Request, scope: Scope, token: tokens.Token):
        year = request.path_params["year"]
        if not 2000 <= year <= 2100:
            return error(404, f"没有 {year} 年度已发布的评价结果。")
        with _cursor(con) as cur:
            run_id = published.published_run(cur, year)
            if run_id is None:
                return error(404, f"{year} 年度的评价结果尚未发布。")
            try:
                run = load_run(cur, run_id)
            except RunError:
                return error(404, f"{year} 年度的评价结果尚未发布。")
            row = published.my_result(cur, run_id, scope)
            indicators = published.my_indicators(cur, run_id, scope)
        if row.empty:
            return error(404, f"{year} 年度已发布的评价中没有本机构。")
        own = {k: _plain(v) for k, v in row.iloc[0].to_dict().items()}
        names = {i.id: i.name for i in run.method.indicators}
        return JSONResponse({
            "run_id": run_id, "year": year, "published_at": run.run.published_at.isoformat(timespec="seconds"),
            "method": f"{run.method.name}（{run.method.id} {run.method.version}）",
            "institution": own,
            "indicators": [{"indicator": r.indicator, "name": names.get(r.indicator, ""), "raw": _plain(r.raw),
                            "normalised": _plain(r.normalised), "contribution": _plain(r.contribution)}
                           for r in indicators.itertuples()],
        })

    async def openapi(request: Request):
        return JSONResponse(schema())

    async def not_found(request: Request, exc: HTTPException):
        messages = {404: "没有这个接口或资源。", 405: "该接口不支持此请求方法。"}
        return error(exc.status_code, messages.get(exc.status_code, f"请求无法处理（{exc.status_code}）。"))

    async def server_error(request: Request, exc: Exception):
        return error(500, "服务器内部错误，请稍后再试或联系监管部门（错误已记录）。")

    routes = [
        Route(f"{VERSION}/openapi.json", openapi, methods=["GET"]),
        Route(f"{VERSION}/submissions", guarded(submit), methods=["POST"]),
        Route(f"{VERSION}/submissions/{{submission_id}}", guarded(get_submission), methods=["GET"]),
        Route(f"{VERSION}/status", guarded(status), methods=["GET"]),
        Route(f"{VERSION}/results/{{year:int}}", guarded(results), methods=["GET"]),
    ]
    return Starlette(routes=routes, exception_handlers={HTTPException: not_found, Exception: server_error})


class _cursor:
    """A cursor of the shared connection for one piece of a request (DuckDB connections are not thread-safe)."""

    def __init__(self, con):
        self.con = con

    def __enter__(self):
        self.cur = self.con.cursor()
        return self.cur

    def __exit__(self, *exc):
        self.cur.close()
        return False


def _plain(value):
    if value is None or (not isinstance(value, (str, bool)) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value


def serve(con: duckdb.DuckDBPyConnection, host: str, port: int) -> None:
    """Run the API until interrupted (`python -m scoring api`)."""
    import uvicorn

    uvicorn.run(create_app(con), host=host, port=port, log_level="warning", access_log=False)


def serve_in_background(con: duckdb.DuckDBPyConnection, host: str, port: int):
    """Run the API in a daemon thread of this process, sharing its connection and writer lock (the app
    starts it when JIGAI_API_PORT is set, so the API and the pages write through one writer). Returns
    the `uvicorn.Server`: `.started` once it listens; `.should_exit = True` stops it."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(create_app(con), host=host, port=port, log_level="warning",
                                           access_log=False))
    threading.Thread(target=server.run, name="jigai-api", daemon=True).start()
    return server


# -- the OpenAPI schema ---------------------------------------------------------------------

def _error_response(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def schema() -> dict:
    """The OpenAPI 3.1 description of the API (served at /api/v1/openapi.json)."""
    nullable_text = {"type": ["string", "null"]}
    receipt = {
        "type": "object",
        "required": ["submission_id", "status", "accepted", "message", "submitted_at", "submitter", "channel",
                     "files", "periods", "errors"],
        "properties": {
            "submission_id": {"type": "string"}, "inst_id": nullable_text, "submitter": {"type": "string"},
            "channel": {"type": "string", "enum": ["page", "cli", "api"]},
            "submitted_at": {"type": "string"}, "accepted": {"type": "boolean"},
            "status": {"type": "string", "enum": ["accepted", "refused"]}, "message": {"type": "string"},
            "rows_total": {"type": "integer"}, "rows_inserted": {"type": "integer"},
            "rows_replaced": {"type": "integer"}, "rows_unchanged": {"type": "integer"},
            "error_count": {"type": "integer"},
            "files": {"type": "array", "items": {"type": "object", "required": ["file_name", "sha256"], "properties": {
                "file_name": {"type": "string"}, "table_name": nullable_text, "sha256": {"type": "string"},
                "bytes": {"type": "integer"}, "rows_total": {"type": "integer"}, "rows_inserted": {"type": "integer"},
                "rows_replaced": {"type": "integer"}, "rows_unchanged": {"type": "integer"}}}},
            "periods": {"type": "array", "items": {"type": "object", "required": ["inst_id", "period"], "properties": {
                "inst_id": {"type": "string"}, "period": {"type": "string"}, "rows_total": {"type": "integer"}}}},
            "errors": {"type": "array", "items": {"type": "object", "required": ["file", "message"], "properties": {
                "file": {"type": "string"}, "row": {"type": ["integer", "null"]}, "column": nullable_text,
                "value": nullable_text, "message": {"type": "string"}}}},
        },
    }
    status = {"type": "object", "required": ["inst_id", "as_of", "periods"], "properties": {
        "inst_id": {"type": "string"}, "as_of": {"type": "string", "format": "date"},
        "periods": {"type": "array", "items": {"type": "object", "required": ["period", "deadline", "status"],
                                               "properties": {
            "period": {"type": "string"}, "deadline": {"type": "string", "format": "date"},
            "status": {"type": "string", "enum": list(reporting.STATUS_LABELS)}, "status_label": {"type": "string"},
            "working_days_late": {"type": "integer"}, "submissions": {"type": "integer"},
            "corrections": {"type": "integer"}, "first_submitted_at": nullable_text}}}}}
    result = {"type": "object", "required": ["run_id", "year", "institution", "indicators"], "properties": {
        "run_id": {"type": "string"}, "year": {"type": "integer"}, "published_at": {"type": "string"},
        "method": {"type": "string"}, "institution": {"type": "object"},
        "indicators": {"type": "array", "items": {"type": "object", "required": ["indicator"], "properties": {
            "indicator": {"type": "string"}, "name": {"type": "string"}, "raw": {"type": ["number", "null"]},
            "normalised": {"type": ["number", "null"]}, "contribution": {"type": ["number", "null"]}}}}}}
    common = {"401": _error_response("没有有效的 API 令牌"), "429": _error_response("请求过于频繁")}
    return {
        "openapi": "3.1.0",
        "info": {"title": "技改专项贷报送接口", "version": "1.0.0",
                 "description": "金融机构报送系统使用的接口：报送数据并取得回执，查询报送状态与本机构已发布的评价结果。"},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": {
            f"{VERSION}/submissions": {"post": {
                "summary": "报送数据文件（与导入页相同的校验与权限），返回回执",
                "operationId": "submit",
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "minProperties": 1, "properties": {  # files, or a nil report's period
                        "files": {"type": "array", "minItems": 1, "items": {"type": "string", "format": "binary"}},
                        "period": {"type": "array", "minItems": 1,
                                   "items": {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}}}}}}},
                "responses": {
                    "200": {"description": "已接受：回执", "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/Receipt"}}}},
                    "422": {"description": "被拒绝：回执（含全部错误），数据库未改变", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Receipt"}}}},
                    "400": _error_response("请求无法解析"), "411": _error_response("缺少 Content-Length"),
                    "413": _error_response("请求超过导入上限"), "415": _error_response("不是 multipart/form-data"),
                    **common}}},
            f"{VERSION}/submissions/{{submission_id}}": {"get": {
                "summary": "本机构一次报送的回执", "operationId": "getSubmission",
                "parameters": [{"name": "submission_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "回执", "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Receipt"}}}},
                    "404": _error_response("没有这份回执（或不属于本机构）"), **common}}},
            f"{VERSION}/status": {"get": {
                "summary": "本机构各报送期间的状态", "operationId": "getStatus",
                "parameters": [{"name": "as_of", "in": "query", "required": False,
                                "description": "观察日（默认今天），工作日历范围 2004–2030 年内",
                                "schema": {"type": "string", "format": "date", "pattern": AS_OF_PATTERN}}],
                "responses": {"200": {"description": "报送状态", "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Status"}}}}, "400": _error_response("参数有误"), **common}}},
            f"{VERSION}/results/{{year}}": {"get": {
                "summary": "本机构在某年度最终发布的评价结果（含各项指标）", "operationId": "getResults",
                "parameters": [{"name": "year", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "评价结果", "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Result"}}}},
                    "404": _error_response("该年度尚未发布或没有本机构"), **common}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Receipt": receipt, "Status": status, "Result": result,
                        "Error": {"type": "object", "required": ["error"],
                                  "properties": {"error": {"type": "string"}}}},
        },
    }
