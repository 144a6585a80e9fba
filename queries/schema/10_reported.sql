-- The reported tables of the import contract (../shared/spec/DATA.md).
-- Money is DECIMAL(18,2) yuan, rates DECIMAL(9,6) annual decimals.
-- Each table's key (scoring/contract.py, `Table.key`) is its PRIMARY KEY, declared by
-- `scoring.db.declare_keys` right after these statements (`db.apply_schema`), and by the demo's
-- bulk writer after the load (scoring/reported.py): DuckDB loads millions of rows into a keyless
-- table and builds the index once faster than it checks each row against an index.
-- References between tables are checked by the importer (scoring/importer.py) rather than by
-- FOREIGN KEY, because DuckDB refuses to replace a referenced row, and replacing rows is how
-- re-import works.

create table if not exists institutions (
    inst_id            varchar not null,
    name               varchar not null,
    kind               varchar not null check (kind in ('bank', 'leasing', 'guarantee', 'insurer')),
    local_legal_person boolean not null default false,
    paid_in_capital    decimal(18, 2) check (paid_in_capital >= 0),
    tier               varchar check (tier in ('big', 'joint', 'local', 'village', 'policy', 'financial_leasing',
                                          'leasing'))  -- peer tier (scoring.contract.TIERS), optional
);
-- databases created before the tier column existed get it on their next start
alter table institutions add column if not exists tier varchar;

create table if not exists districts (
    district_code varchar not null,
    name          varchar not null,
    category      varchar not null check (category in ('区', '县', '自治县', '功能区'))
);

create table if not exists enterprises (
    ent_id        varchar not null check (length(ent_id) = 18),
    name          varchar not null,
    district_code varchar not null,
    size          varchar not null check (size in ('large', 'medium', 'small', 'micro')),
    ownership     varchar not null check (ownership in ('state', 'private', 'foreign', 'other')),
    manufacturing boolean not null,
    agricultural  boolean not null default false,
    tags          varchar  -- ';'-separated: unicorn, potential_unicorn, gazelle, specialized, little_giant, whitelist
);

create table if not exists projects (
    project_id       varchar not null,
    ent_id           varchar not null,
    district_code    varchar not null,
    filing_no        varchar,
    filed_on         date,
    pooled_on        date,
    total_investment decimal(18, 2) not null check (total_investment >= 0),
    land_cost        decimal(18, 2) not null default 0 check (land_cost >= 0),
    green            boolean not null default false,
    equipment_only   boolean not null default false,
    category         varchar check (category in ('smart', 'green', 'digital', 'other'))
);

create table if not exists applications (
    app_id            varchar not null,
    ent_id            varchar not null,
    project_id        varchar,
    inst_id           varchar not null,
    channel           varchar,
    registered_on     date not null,
    connected_on      date check (connected_on >= registered_on),
    decision          varchar check (decision in ('approved', 'rejected', 'withdrawn', 'pending')),
    decided_on        date check (decided_on >= connected_on),
    disbursed_on      date check (disbursed_on >= decided_on),
    simplified_review boolean not null default false
);

create table if not exists loans (
    loan_id      varchar not null,
    inst_id      varchar not null,
    ent_id       varchar not null,
    project_id   varchar not null,
    app_id       varchar,
    product_id   varchar,
    kind         varchar not null check (kind in ('loan', 'lease_direct', 'lease_direct_back')),
    amount       decimal(18, 2) not null check (amount > 0),
    land_amount  decimal(18, 2) not null default 0 check (land_amount >= 0 and land_amount <= amount),
    rate         decimal(9, 6) not null check (rate > 0 and rate <= 0.24),
    lpr          decimal(9, 6) not null check (lpr > 0 and lpr <= 0.24),
    signed_on    date not null,
    disbursed_on date check (disbursed_on >= signed_on),
    maturity_on  date check (maturity_on > signed_on),
    relending    varchar not null default 'none' check (relending in ('none', 'tech', 'agri_small')),
    credit_line  decimal(18, 2) check (credit_line >= 0)
);

create table if not exists interest_payments (
    payment_id    varchar not null,
    loan_id       varchar not null,
    period_start  date not null,
    period_end    date not null check (period_end >= period_start),
    paid_on       date not null,
    interest_paid decimal(18, 2) not null check (interest_paid >= 0)
);

create table if not exists guarantees (
    guarantee_id      varchar not null,
    loan_id           varchar not null,
    guarantor_id      varchar not null,
    guaranteed_amount decimal(18, 2) not null check (guaranteed_amount > 0),
    fee_rate          decimal(9, 6) not null check (fee_rate >= 0 and fee_rate <= 0.24),
    fee_paid          decimal(18, 2) not null check (fee_paid >= 0),
    paid_on           date not null
);

create table if not exists insurance_policies (
    policy_id      varchar not null,
    ent_id         varchar not null,
    project_id     varchar,
    insurer_id     varchar,
    kind           varchar not null check (kind in ('first_set_equipment', 'software_first_version', 'project_cost_loss')),
    product_name   varchar,
    insured_amount decimal(18, 2) check (insured_amount >= 0),
    premium        decimal(18, 2) not null check (premium >= 0),
    policy_year    integer not null check (policy_year between 2000 and 2100)
);

create table if not exists products (
    product_id  varchar not null,
    inst_id     varchar not null,
    name        varchar not null,
    category    varchar not null check (category in ('pre_project_plus_project', 'bank_plus_leasing', 'investment_loan_linkage', 'supply_chain', 'other')),
    launched_on date,
    innovative  boolean not null default false
);

create table if not exists cases (
    case_id varchar not null,
    inst_id varchar not null,
    title   varchar not null,
    year    integer not null check (year between 2000 and 2100),
    ent_id  varchar,
    summary varchar
);

create table if not exists holidays (
    day     date not null,
    working boolean not null default false,
    note    varchar
);

create table if not exists cooperation (
    year    integer not null check (year between 2000 and 2100),
    inst_id varchar not null,
    source  varchar not null default 'call' check (source in ('call', 'evaluation'))
);

create table if not exists flags (
    flag_id varchar not null,
    inst_id varchar not null,
    year    integer not null check (year between 2000 and 2100),
    kind    varchar not null check (kind in ('violation', 'risk_event', 'data_quality')),
    note    varchar
);
