-- TPC-H Q13: customer distribution (WORD1 = special, WORD2 = requests)
-- The derived table's columns are named inside it instead of "as c_orders (c_custkey, c_count)".
select
    c_count,
    count(*) as custdist
from
    (
        select
            c_custkey,
            count(o_orderkey) as c_count
        from
            {{prefix}}customer
            left outer join {{prefix}}orders on
                c_custkey = o_custkey
                and o_comment not like '%special%requests%'
        group by
            c_custkey
    ) as c_orders
group by
    c_count
order by
    custdist desc,
    c_count desc
