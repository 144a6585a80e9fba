"""Who may see which rows: the scope every data-reading function takes.

Scoping is enforced where data is read. Every query that returns rows about
institutions or districts reads them through a staging view `queries/staging/scoped_*`
(scoped_loans, scoped_stages, scoped_subsidy_items, …), the one place per kind of row
where `$scope_inst` and `$scope_district` filter it, so a page cannot ask for rows
outside its user's scope:

    where ($scope_inst is null or inst_id = $scope_inst)
      and ($scope_district is null or district_code = $scope_district)

The query layer refuses to run such a query without a scope (`scoring.engine`); no engine
function has a default scope.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("regulator", "district", "institution")


@dataclass(frozen=True)
class Scope:
    role: str
    inst_id: str | None = None
    district_code: str | None = None

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"未知角色：{self.role!r}")
        if self.role == "institution" and not self.inst_id:
            raise ValueError("机构用户必须属于一个机构")
        if self.role == "district" and not self.district_code:
            raise ValueError("区县用户必须属于一个区县")
        if self.role == "regulator" and (self.inst_id or self.district_code):
            raise ValueError("监管用户不限定机构或区县")

    @property
    def params(self) -> dict[str, str | None]:
        """Named SQL parameters that scope a query (None = unrestricted)."""
        return {"scope_inst": self.inst_id, "scope_district": self.district_code}

    @property
    def key(self) -> str:
        """A cache key: results computed for one scope are never served to another."""
        return f"{self.role}:{self.inst_id or ''}:{self.district_code or ''}"


REGULATOR = Scope("regulator")

MIN_PEERS = 3  # an anonymous peer figure needs at least this many institutions behind it
