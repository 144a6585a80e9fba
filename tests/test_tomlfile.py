"""One loader for the policy, the method and the indicator registry (`scoring.tomlfile`): each
takes None (its built-in file), a Path, a path string or TOML text, and reports a missing
file or broken TOML in Chinese under its own title, as a `SettingsError` naming the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring import tomlfile
from scoring.method import DEFAULT_METHOD, MethodError, load_method
from scoring.policy import DEFAULT_POLICY, PolicyError, load_policy
from scoring.registry import DEFAULT_REGISTRY, RegistryError, load_registry

LOADERS = [
    pytest.param(load_policy, DEFAULT_POLICY, PolicyError, "政策参数文件有误", "找不到政策参数文件", id="policy"),
    pytest.param(load_method, DEFAULT_METHOD, MethodError, "评价办法有误", "找不到评价办法文件", id="method"),
    pytest.param(load_registry, DEFAULT_REGISTRY, RegistryError, "指标目录有误", "找不到指标目录文件", id="registry"),
]


@pytest.mark.parametrize("load, default, error, title, missing", LOADERS)
def test_every_source_form_reads_the_same_settings(load, default, error, title, missing, tmp_path):
    copy = tmp_path / "copy.toml"
    copy.write_text(default.read_text(encoding="utf-8"), encoding="utf-8")
    built_in = load()
    assert load(default) == built_in and load(str(copy)) == built_in and load(copy) == built_in
    assert load(default.read_text(encoding="utf-8")) == built_in


@pytest.mark.parametrize("load, default, error, title, missing", LOADERS)
def test_a_missing_file_and_broken_toml_are_named_in_chinese(load, default, error, title, missing, tmp_path):
    with pytest.raises(error) as gone:
        load(tmp_path / "nowhere.toml")
    assert str(gone.value).startswith(title) and f"{missing}：{tmp_path / 'nowhere.toml'}" in gone.value.problems[0]
    with pytest.raises(error) as broken:
        load("x = \n")
    assert broken.value.problems[0].startswith("不是合法的 TOML 文件")
    assert isinstance(broken.value, tomlfile.SettingsError) and isinstance(broken.value, ValueError)


def test_the_loader_is_shared_not_copied():
    """The three modules parse through tomlfile alone (the copies this replaced each imported tomllib)."""
    root = Path(tomlfile.__file__).parent
    for module in ("policy.py", "method.py", "registry.py"):
        text = (root / module).read_text(encoding="utf-8")
        assert "tomllib" not in text and "tomlfile.load(" in text, module
