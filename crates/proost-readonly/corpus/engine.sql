SELECT * FROM '/etc/passwd'
-- next
SELECT * FROM 'data/customers.csv'
-- next
SELECT * FROM 'customers'
-- next
SELECT * FROM 's3://bucket/customers.parquet'
-- next
SELECT * FROM "file:///etc/passwd"
-- next
SELECT * FROM "https://evil.example/x.parquet"
-- next
SELECT * FROM "/etc"."passwd"
-- next
SELECT * FROM read_csv('/etc/passwd')
-- next
SELECT * FROM read_parquet('s3://bucket/x.parquet')
-- next
SELECT * FROM read_json('/tmp/x.json')
-- next
SELECT * FROM parquet_metadata('/tmp/x.parquet')
-- next
SELECT * FROM glob('/etc/*')
-- next
SELECT * FROM some_table_function(1)
-- next
SELECT c.id FROM customers c JOIN '/tmp/x.csv' f ON f.id = c.id
-- next
SELECT * FROM customers WHERE id IN (SELECT id FROM '/tmp/x.csv')
-- next
WITH f AS (SELECT * FROM read_csv('/etc/hosts')) SELECT * FROM f
-- next
SELECT * FROM customers c, LATERAL (SELECT * FROM read_csv('/x')) f
-- next
SELECT read_text('/etc/passwd')
-- next
DESCRIBE '/etc/passwd'
-- next
SHOW COLUMNS FROM '/etc/passwd'
-- next
CREATE EXTERNAL TABLE x STORED AS CSV LOCATION '/etc/passwd'
-- next
CREATE TABLE x AS SELECT * FROM customers
-- next
CREATE VIEW v AS SELECT * FROM customers
-- next
INSERT INTO customers VALUES (1, 'x', 'y')
-- next
INSERT INTO orders SELECT * FROM orders
-- next
DELETE FROM orders
-- next
UPDATE orders SET amount = 0
-- next
DROP TABLE customers
-- next
COPY customers TO '/tmp/customers.csv'
-- next
COPY (SELECT * FROM customers) TO '/tmp/x.parquet' STORED AS PARQUET
-- next
SET datafusion.execution.target_partitions = 1
-- next
SET datafusion.catalog.information_schema = true
-- next
RESET datafusion.execution.batch_size
-- next
SELECT 1; DROP TABLE customers
-- next
SELECT 1 /*! ; DROP TABLE customers */
-- next
SeLeCt * FrOm 'S3://bucket/x.csv'
-- next
EXPLAIN ANALYZE SELECT * FROM customers
-- next
SELECT * INTO stolen FROM customers
-- next
SELECT id FROM orders FOR UPDATE
-- next
WITH gone AS (DELETE FROM orders RETURNING *) SELECT * FROM gone
