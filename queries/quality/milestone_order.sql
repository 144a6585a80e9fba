-- Q3: milestones out of order across an application and its loan: the contract signed before the
-- approval, or the application connected or decided after the loan was disbursed. (Order within
-- one table is refused at import: DATA.md.)
with pairs as (
    select l.loan_id, l.inst_id, l.ent_district_code as district_code, l.signed_on, l.disbursed_on,
           a.app_id, a.connected_on, a.decided_on, a.decision
    from scoped_loans as l
    join applications as a on a.app_id = l.app_id
    where year(l.signed_on) = $year
)

select
    inst_id, district_code, 'loans' as table_name, loan_id as row_key,
    case
        when disbursed_on is not null and decided_on > disbursed_on
            then '申请 ' || app_id || ' 的审批日 ' || strftime(decided_on, '%Y-%m-%d') || ' 晚于放款日 '
                 || strftime(disbursed_on, '%Y-%m-%d')
        when disbursed_on is not null and connected_on > disbursed_on
            then '申请 ' || app_id || ' 的对接日 ' || strftime(connected_on, '%Y-%m-%d') || ' 晚于放款日 '
                 || strftime(disbursed_on, '%Y-%m-%d')
        when decision = 'approved' and signed_on < decided_on
            then '签约日 ' || strftime(signed_on, '%Y-%m-%d') || ' 早于申请 ' || app_id || ' 的审批日 '
                 || strftime(decided_on, '%Y-%m-%d')
        else '申请 ' || app_id || ' 未获批准却已签约'
    end as detail
from pairs
where (disbursed_on is not null and (decided_on > disbursed_on or connected_on > disbursed_on))
   or (decision = 'approved' and signed_on < decided_on)
   or decision in ('rejected', 'withdrawn')
