"""The service's own user-facing words, in Chinese and English (the facts' problems come from the library).

A message is looked up by key and formatted with named values; `pick(lang)` chooses the language from
the `lang` query option, then the Accept-Language header, then the server's default.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MESSAGES", "say", "both", "pick_lang"]

MESSAGES: dict[str, tuple[str, str]] = {
    # titles of the error kinds (zh, en)
    "title.facts": ("事实数据无效", "invalid facts"),
    "title.request": ("请求无效", "invalid request"),
    "title.auth": ("未授权", "not authorised"),
    "title.not_found": ("未找到", "not found"),
    "title.method": ("不支持的请求方法", "method not allowed"),
    "title.too_large": ("请求体过大", "request body too large"),
    "title.media_type": ("不支持的媒体类型", "unsupported media type"),
    "title.timeout": ("请求超时", "request timed out"),
    "title.unavailable": ("服务暂不可用", "service unavailable"),
    "title.internal": ("内部错误", "internal error"),
    "title.training": ("答卷无效", "invalid answer sheet"),
    "title.rules": ("规则库无效", "invalid rulebook"),
    # messages
    "auth.missing": ("缺少令牌：请在 Authorization 头中发送 Bearer 令牌",
                     "no token: send 'Authorization: Bearer <token>'"),
    "auth.bad": ("令牌无效", "the token is not valid"),
    "not_found": ("没有这个地址：{path}；接口列表见 /v1/openapi.json",
                  "no such endpoint: {path}; the endpoints are listed at /v1/openapi.json"),
    "method": ("{path} 不接受 {method} 请求；允许：{methods}", "{path} does not take {method}; allowed: {methods}"),
    "too_large": ("请求体超过 {limit} 字节的上限", "the request body is over the limit of {limit} bytes"),
    "media_type": ("不支持的内容类型 {given}：请以 application/json 或 application/yaml 发送",
                   "unsupported content type {given}: send application/json or application/yaml"),
    "timeout": ("请求在 {seconds} 秒内未完成", "the request did not complete within {seconds} s"),
    "log_unavailable": ("决定日志无法写入，本次决定未予提供：{detail}",
                        "the decision log cannot be written, so the decision is not served: {detail}"),
    "internal": ("服务器内部错误（这是程序缺陷，不是输入问题；详情已记录在服务器日志中）",
                 "internal error (a bug, not a problem with the input; the details are in the server's log)"),
    "query": ("参数 {field}：{detail}", "parameter {field}: {detail}"),
    "no_version": ("没有版本 {value}", "no version '{value}'"),
    "no_article": ("版本 {version} 中没有第 {article} 条的规则", "no rules of article {article} in version {version}"),
    "no_schema": ("没有名为 {value} 的模式", "no schema '{value}'"),
    "no_exercise": ("没有符合条件的练习", "no exercise matches"),
    "empty_body": ("请求体为空：请发送事实数据（liability-facts/1）", "the request body is empty: send the facts "
                   "(liability-facts/1)"),
    "accept": ("无法以 {given} 格式回应：可用 application/json 或 text/markdown",
               "cannot answer as {given}: use application/json or text/markdown"),
}


def say(key: str, lang: str, **values: Any) -> str:
    zh, en = MESSAGES[key]
    return (zh if lang == "zh" else en).format(**values)


def both(key: str, **values: Any) -> tuple[str, str]:
    """(English, Chinese)."""
    return say(key, "en", **values), say(key, "zh", **values)


def pick_lang(query: str | None, accept_language: str | None, default: str) -> str:
    if query in ("zh", "en"):
        return query
    if accept_language:
        for part in accept_language.split(","):
            tag = part.split(";")[0].strip().lower()
            if tag.startswith("zh"):
                return "zh"
            if tag.startswith("en"):
                return "en"
    return default
