SELECT id, name, email FROM customers
-- next
SELECT c.name, COUNT(o.id) AS order_count, SUM(o.amount) AS total
FROM customers c
LEFT JOIN orders o ON o.customer_id = c.id
GROUP BY c.name
ORDER BY total DESC
-- next
WITH recent AS (SELECT * FROM orders WHERE ordered_at > NOW() - INTERVAL 30 DAY)
SELECT customer_id, SUM(amount) AS total FROM recent GROUP BY customer_id
-- next
SELECT id, amount, SUM(amount) OVER (PARTITION BY customer_id ORDER BY ordered_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_total FROM orders
-- next
SELECT id, ROW_NUMBER() OVER (ORDER BY amount DESC) AS position FROM orders
-- next
SELECT name FROM customers UNION SELECT name FROM products
-- next
SELECT * FROM products WHERE id IN (SELECT product_id FROM orders WHERE amount > 100)
-- next
SELECT 'DELETE FROM orders; DROP TABLE customers' AS not_a_command
-- next
SELECT id FROM customers WHERE name = '; DROP TABLE customers -- '
-- next
-- INSERT INTO orders is only a comment here
SELECT COUNT(*) AS update_count FROM orders
-- next
SELECT /* UPDATE customers SET email = NULL */ email FROM customers
-- next
# DELETE FROM orders, in a hash comment
SELECT MAX(ordered_at) AS last_order FROM orders
-- next
SELECT `name` FROM `customers` WHERE `id` = 1
-- next
SELECT DATE_FORMAT(ordered_at, '%Y-%m') AS month, SUM(amount) AS total FROM orders GROUP BY month;
-- next
SELECT * FROM orders ORDER BY id LIMIT 5, 10
-- next
EXPLAIN SELECT * FROM orders WHERE customer_id = 1
-- next
SHOW TABLES
-- next
DESCRIBE customers
-- next
SELECT 'it''s' AS quoted, "double" AS dq
-- next
SELECT email FROM customers WHERE email LIKE '%\_%'
-- next
WITH RECURSIVE n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT i FROM n
-- next
SELECT IFNULL(p.name, 'unknown') AS product, COUNT(*) AS orders
FROM orders o LEFT JOIN products p ON p.id = o.product_id GROUP BY product
-- next
SELECT EXISTS (SELECT 1 FROM orders WHERE amount < 0) AS has_refunds
-- next
SELECT UPPER(name), CHAR_LENGTH(email), LOWER(email) FROM customers WHERE id IN (1, 2, 3)
-- next
SELECT @@version AS server_version
