-- Q6: near-duplicate enterprises or loans. Two enterprises whose names agree once spaces,
-- brackets and the company-form suffix are removed, in one district, both borrowing from the same
-- institution; or two loans of one institution to one enterprise with the same amount and
-- signing day under different ids.
with named as (
    select ent_id, district_code,
           regexp_replace(regexp_replace(name, '[\s（）()·]', '', 'g'), '(股份)?有限(责任)?公司$', '') as stem
    from enterprises
),

twins as (
    select a.ent_id, b.ent_id as twin_id, a.district_code
    from named as a
    join named as b on a.stem = b.stem and a.district_code = b.district_code and a.ent_id <> b.ent_id
),

lent as (
    select distinct inst_id, ent_id from scoped_loans where year(signed_on) = $year
),

enterprise_findings as (
    select x.inst_id, t.district_code, 'enterprises' as table_name, t.ent_id as row_key,
           '与企业 ' || t.twin_id || ' 名称实质相同（同一区县），疑似重复登记' as detail
    from twins as t
    join lent as x on x.ent_id = t.ent_id
    join lent as y on y.ent_id = t.twin_id and y.inst_id = x.inst_id
),

loan_findings as (
    select a.inst_id, a.ent_district_code as district_code, 'loans' as table_name, b.loan_id as row_key,
           '与贷款 ' || a.loan_id || ' 的机构、企业、金额、签约日完全相同，疑似重复报送' as detail
    from scoped_loans as a
    join scoped_loans as b
        on a.inst_id = b.inst_id and a.ent_id = b.ent_id and a.amount = b.amount and a.signed_on = b.signed_on
       and a.loan_id < b.loan_id
    where year(a.signed_on) = $year
)

select * from enterprise_findings
union all
select * from loan_findings
