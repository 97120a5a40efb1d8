SELECT id, name, email FROM public.customers
-- next
SELECT c.name, count(o.id) AS order_count, sum(o.amount) AS total
FROM public.customers c
LEFT JOIN public.orders o ON o.customer_id = c.id
GROUP BY c.name
ORDER BY total DESC NULLS LAST
-- next
WITH recent AS (SELECT * FROM public.orders WHERE ordered_at > now() - interval '30 days')
SELECT customer_id, sum(amount) AS total FROM recent GROUP BY customer_id
-- next
SELECT id, amount, sum(amount) OVER (PARTITION BY customer_id ORDER BY ordered_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_total FROM public.orders
-- next
SELECT id, row_number() OVER (ORDER BY amount DESC) AS position FROM public.orders
-- next
SELECT name FROM public.customers UNION SELECT name FROM public.products
-- next
SELECT * FROM public.products WHERE id IN (SELECT product_id FROM public.orders WHERE amount > 100)
-- next
SELECT 'DELETE FROM public.orders; DROP TABLE public.customers' AS not_a_command
-- next
SELECT id FROM public.customers WHERE name = '; DROP TABLE public.customers --'
-- next
-- INSERT INTO public.orders is only a comment here
SELECT count(*) AS update_count FROM public.orders
-- next
SELECT /* UPDATE public.customers SET email = NULL */ email FROM public.customers
-- next
SELECT count(*) AS update_count, max(ordered_at) AS last_insert FROM public.orders
-- next
VALUES (1, 'one'), (2, 'two')
-- next
SELECT date_trunc('month', ordered_at) AS month, sum(amount) FROM public.orders GROUP BY 1 ORDER BY 1;
-- next
EXPLAIN SELECT * FROM public.orders WHERE customer_id = 1
-- next
SELECT c.id, o.amount FROM public.customers c
JOIN LATERAL (SELECT amount FROM public.orders WHERE customer_id = c.id ORDER BY ordered_at DESC LIMIT 1) o ON true
-- next
SELECT E'it\'s' AS escaped, 'it''s' AS doubled, $$dollar ; DELETE$$ AS dollar
-- next
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT i FROM n
-- next
SELECT email FROM public.customers WHERE email LIKE '%\_%'
-- next
SELECT coalesce(p.name, 'unknown') AS product, count(*) FILTER (WHERE o.amount > 50) AS big_orders
FROM public.orders o LEFT JOIN public.products p ON p.id = o.product_id GROUP BY 1
-- next
SELECT DISTINCT ON (customer_id) customer_id, amount FROM public.orders ORDER BY customer_id, ordered_at DESC
-- next
SHOW search_path
-- next
SELECT * FROM public.orders WHERE ordered_at BETWEEN '2024-01-01' AND '2024-12-31' ORDER BY id LIMIT 10 OFFSET 5
-- next
SELECT EXISTS (SELECT 1 FROM public.orders WHERE amount < 0) AS has_refunds
-- next
SELECT upper(name), length(email), lower(email) FROM public.customers WHERE id = ANY (ARRAY[1, 2, 3])
-- next
SELECT amount::numeric(10,2) AS amount, ordered_at::date AS day FROM public.orders
-- next
SELECT current_setting('transaction_read_only') AS read_only
