"""One loader for the three settings files — the policy (`scoring/policies/`), the method and
the indicator registry (`scoring/methods/`): where the text comes from, how it is parsed,
and how a problem is reported (in Chinese, each naming its key), so that the three read alike.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class SettingsError(ValueError):
    """A settings file that cannot be used; `problems` lists each one, naming its key."""

    title = "配置文件有误"

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{self.title}：\n" + "\n".join(f"- {p}" for p in problems))


def load(source: str | Path | None, *, default: Path, error: type[SettingsError], what: str,
         build: Callable[..., T], extra: tuple = (), parse_float: Callable[[str], Any] = float) -> T:
    """`build(parsed TOML, text, *extra)` for the settings in `source`: None = the `default` file,
    a Path or a path string ending in .toml = that file, anything else = TOML text. A missing
    file or text that is not TOML raises `error`, naming the file as `what` (找不到{what}：…).
    Results are cached by text, so a page rerun does not parse and check the file again."""
    return _built(_text(source, default, error, what), error, build, extra, parse_float)


def _text(source: str | Path | None, default: Path, error: type[SettingsError], what: str) -> str:
    if source is None:
        source = default
    if isinstance(source, str) and "\n" not in source and source.strip().endswith(".toml"):
        source = Path(source)
    if isinstance(source, Path):
        if not source.is_file():
            raise error([f"找不到{what}：{source}"])
        return source.read_text(encoding="utf-8")
    return source


@lru_cache(maxsize=64)
def _built(text: str, error: type[SettingsError], build: Callable[..., T], extra: tuple,
           parse_float: Callable[[str], Any]) -> T:
    try:
        data = tomllib.loads(text, parse_float=parse_float)
    except tomllib.TOMLDecodeError as problem:
        raise error([f"不是合法的 TOML 文件：{problem}"]) from None
    return build(data, text, *extra)
