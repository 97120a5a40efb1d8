-- TPC-H Q11: important stock identification (NATION = GERMANY, FRACTION = 0.0001)
-- FRACTION is the SF1 validation value (the spec scales it as 0.0001 / SF); kept fixed so the
-- text is the same at every scale. ps_partkey added to the ORDER BY as a tiebreak.
select
    ps_partkey,
    sum(ps_supplycost * ps_availqty) as value
from
    {{prefix}}partsupp,
    {{prefix}}supplier,
    {{prefix}}nation
where
    ps_suppkey = s_suppkey
    and s_nationkey = n_nationkey
    and n_name = 'GERMANY'
group by
    ps_partkey
having
    sum(ps_supplycost * ps_availqty) > (
        select
            sum(ps_supplycost * ps_availqty) * 0.0001
        from
            {{prefix}}partsupp,
            {{prefix}}supplier,
            {{prefix}}nation
        where
            ps_suppkey = s_suppkey
            and s_nationkey = n_nationkey
            and n_name = 'GERMANY'
    )
order by
    value desc,
    ps_partkey
