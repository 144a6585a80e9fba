-- R10 the morning list of breaches still outstanding: past the deadline, not done, not
-- withdrawn — the longest overdue first. Breaches already done late count in compliance,
-- not here.
--
-- Reads the temp table `sla_stages` (scoring.sla.materialise_stages). Parameters:
-- $scope_inst, $scope_district (scoring.access.Scope).

with outstanding as (
    select *
    from sla_stages
    where status = 'breached'
        and done_on is null
        and not withdrawn
        and ($scope_inst is null or inst_id = $scope_inst)
        and ($scope_district is null or district_code = $scope_district)
)

select
    outstanding.app_id,
    outstanding.inst_id,
    institutions.name as inst_name,
    outstanding.ent_id,
    enterprises.name as ent_name,
    outstanding.district_code,
    outstanding.stage,
    outstanding.started_on,
    outstanding.deadline,
    outstanding.working_days_late,
    outstanding.provisional
from outstanding
left join institutions on institutions.inst_id = outstanding.inst_id
left join enterprises on enterprises.ent_id = outstanding.ent_id
order by outstanding.working_days_late desc, outstanding.deadline, outstanding.app_id, outstanding.stage
