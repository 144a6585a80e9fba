-- The name a district user is shown under.
select name from districts where district_code = $code
