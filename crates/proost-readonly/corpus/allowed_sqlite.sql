SELECT id, name, email FROM customers
-- next
SELECT c.name, count(o.id) AS order_count, sum(o.amount) AS total
FROM customers c
LEFT JOIN orders o ON o.customer_id = c.id
GROUP BY c.name
ORDER BY total DESC
-- next
WITH recent AS (SELECT * FROM orders WHERE ordered_at > date('now', '-30 days'))
SELECT customer_id, sum(amount) AS total FROM recent GROUP BY customer_id
-- next
SELECT id, amount, sum(amount) OVER (PARTITION BY customer_id ORDER BY ordered_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_total FROM orders
-- next
SELECT id, row_number() OVER (ORDER BY amount DESC) AS position FROM orders
-- next
SELECT name FROM customers UNION SELECT name FROM products
-- next
SELECT * FROM products WHERE id IN (SELECT product_id FROM orders WHERE amount > 100)
-- next
SELECT 'DELETE FROM orders; DROP TABLE customers' AS not_a_command
-- next
SELECT id FROM customers WHERE name = '; DROP TABLE customers --'
-- next
-- INSERT INTO orders is only a comment here
SELECT count(*) AS update_count FROM orders
-- next
SELECT /* UPDATE customers SET email = NULL */ email FROM customers
-- next
SELECT strftime('%Y-%m', ordered_at) AS month, sum(amount) AS total FROM orders GROUP BY month;
-- next
SELECT name || ' <' || email || '>' AS contact FROM customers ORDER BY id LIMIT 10 OFFSET 5
-- next
VALUES (1, 'one'), (2, 'two')
-- next
EXPLAIN QUERY PLAN SELECT * FROM orders WHERE customer_id = 1
-- next
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT i FROM n
-- next
SELECT coalesce(p.name, 'unknown') AS product, count(*) AS orders
FROM orders o LEFT JOIN products p ON p.id = o.product_id GROUP BY 1
-- next
SELECT EXISTS (SELECT 1 FROM orders WHERE amount < 0) AS has_refunds
-- next
SELECT upper(name), length(email), lower(email) FROM customers WHERE id IN (1, 2, 3)
-- next
SELECT "name" FROM "customers" WHERE "id" = 1
-- next
SELECT email FROM customers WHERE email LIKE '%\_%' ESCAPE '\'
-- next
SELECT 'it''s' AS quoted, typeof(amount) AS kind FROM orders
