-- The financial products (R17 创新产品库) a user may see: an institution its own, the
-- regulator all, a district official none (products are an institution's own). The one
-- place the scope predicate is written for products.
select *
from products
where ($scope_inst is null or inst_id = $scope_inst)
  and $scope_district is null
