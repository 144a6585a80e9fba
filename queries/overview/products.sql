-- The financial products of the institutions in scope (R17 创新产品库) with what was lent
-- through each in $year.
with lent as (
    select product_id, count(*) as loans, sum(amount) as amount
    from loans
    where year(disbursed_on) = $year and product_id is not null
    group by product_id
)

select
    products.inst_id,
    products.product_id,
    products.name,
    products.category,
    products.launched_on,
    products.innovative,
    coalesce(lent.loans, 0) as loans,
    coalesce(lent.amount, 0) as amount
from scoped_products as products
left join lent on lent.product_id = products.product_id
order by products.inst_id, products.innovative desc, products.launched_on, products.product_id
