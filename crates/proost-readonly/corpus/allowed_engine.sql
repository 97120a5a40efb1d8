SELECT id, name, email FROM customers
-- next
SELECT c.name, count(o.id) AS order_count, sum(o.amount) AS total
FROM customers c
LEFT JOIN orders o ON o.customer_id = c.id
GROUP BY c.name
ORDER BY total DESC
-- next
WITH big AS (SELECT * FROM orders WHERE amount > 100)
SELECT customer_id, sum(amount) AS total FROM big GROUP BY customer_id
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
SELECT date_trunc('month', ordered_at) AS month, sum(amount) AS total FROM orders
GROUP BY date_trunc('month', ordered_at) ORDER BY month;
-- next
SELECT * FROM orders ORDER BY id LIMIT 10 OFFSET 5
-- next
VALUES (1, 'one'), (2, 'two')
-- next
EXPLAIN SELECT * FROM orders WHERE customer_id = 1
-- next
DESCRIBE customers
-- next
SELECT coalesce(p.name, 'unknown') AS product, count(*) AS orders
FROM orders o LEFT JOIN products p ON p.id = o.product_id GROUP BY coalesce(p.name, 'unknown')
-- next
SELECT min(amount) < 0 AS has_refunds FROM orders
-- next
SELECT upper(name), length(email), lower(email) FROM customers WHERE id IN (1, 2, 3)
-- next
SELECT * FROM generate_series(1, 10)
