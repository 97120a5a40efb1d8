INSERT INTO customers (name, email) VALUES ('x', 'x@example.com')
-- next
INSERT INTO orders SELECT * FROM orders
-- next
INSERT OR REPLACE INTO customers (id, name) VALUES (1, 'x')
-- next
REPLACE INTO customers (id, name) VALUES (1, 'x')
-- next
INSERT INTO customers (id, name) VALUES (1, 'x') ON CONFLICT(id) DO UPDATE SET name = 'y'
-- next
UPDATE customers SET email = NULL
-- next
UPDATE orders SET amount = 0 RETURNING *
-- next
DELETE FROM orders
-- next
DELETE FROM orders RETURNING id
-- next
DROP TABLE customers
-- next
DROP VIEW IF EXISTS v
-- next
DROP INDEX IF EXISTS i
-- next
CREATE TABLE stolen AS SELECT * FROM customers
-- next
CREATE TEMP TABLE t AS SELECT 1
-- next
CREATE VIEW v AS SELECT * FROM customers
-- next
CREATE TRIGGER t AFTER INSERT ON orders BEGIN DELETE FROM customers; END
-- next
CREATE INDEX i ON orders (amount)
-- next
CREATE VIRTUAL TABLE x USING fts5(a)
-- next
ALTER TABLE customers RENAME TO gone
-- next
ALTER TABLE customers ADD COLUMN pwned INTEGER
-- next
ATTACH DATABASE '/etc/passwd' AS x
-- next
ATTACH '/tmp/evil.db' AS evil
-- next
DETACH DATABASE x
-- next
VACUUM
-- next
VACUUM INTO '/tmp/x.db'
-- next
PRAGMA writable_schema = 1
-- next
PRAGMA query_only = 0
-- next
PRAGMA main.query_only = OFF
-- next
PRAGMA journal_mode = DELETE
-- next
REINDEX orders
-- next
ANALYZE
-- next
BEGIN; DELETE FROM orders; COMMIT
-- next
BEGIN IMMEDIATE
-- next
COMMIT
-- next
SAVEPOINT a
-- next
RELEASE a
-- next
ROLLBACK
-- next
SELECT 1; DROP TABLE customers
-- next
SELECT 1 /* x */; DELETE FROM orders
-- next
SELECT 1 --1
; DELETE FROM orders
-- next
SELECT * FROM customers WHERE name = 'x'; DELETE FROM orders; --'
-- next
SELECT * FROM pragma_table_info('customers'); PRAGMA writable_schema = 1
-- next
SELECT 1 /*! ; DROP TABLE customers */
-- next
/**/DELETE/**/FROM/**/orders
-- next
SeLeCt 1; DrOp TaBlE orders
-- next
DELETE FROM orders
-- next
SELECT 1;　DROP TABLE orders
-- next
DELETEFROM
orders
-- next
EXPLAIN DELETE FROM orders
-- next
EXPLAIN QUERY PLAN DELETE FROM orders
-- next
SELECT load_extension('/tmp/evil.so')
-- next
SELECT LOAD_EXTENSION('evil', 'sqlite3_evil_init')
-- next
SELECT readfile('/etc/passwd')
-- next
SELECT writefile('/tmp/x', 'payload')
-- next
SELECT edit('text', 'vi')
-- next
SELECT fts3_tokenizer('simple', x'4141414141414141')
-- next
SELECT * FROM fsdir('/etc')
-- next
SELECT name FROM fsdir WHERE name = '/etc'
-- next
SELECT * FROM zipfile('/tmp/x.zip')
-- next
SELECT eval('DELETE FROM orders')
-- next
SELECT fileio_write('/tmp/x', 'y')
-- next
SELECT define('sumn', ':n * (:n + 1) / 2')
-- next
SELECT * FROM customers WHERE id IN (SELECT readfile('/etc/hostname'))
-- next
WITH x AS (SELECT writefile('/tmp/y', email) FROM customers) SELECT count(*) FROM x
-- next
SELECT id FROM customers ORDER BY load_extension('evil')
-- next
SELECT CASE WHEN id > 0 THEN readfile('/etc/passwd') END FROM customers
-- next
SELECT sum(amount) OVER (PARTITION BY readfile('/x')) FROM orders
-- next
SELECT * FROM orders WHERE amount > (SELECT count(*) FROM fsdir('/'))
-- next
SELECT c.id FROM customers c JOIN (SELECT writefile('/tmp/z', 'x') AS w) ON 1
-- next
WITH gone AS (DELETE FROM orders RETURNING *) SELECT * FROM gone
-- next
WITH a AS (SELECT 1) DELETE FROM orders
-- next
WITH a AS (SELECT 1) INSERT INTO customers (name) SELECT 'x' FROM a
-- next
SELECT * INTO stolen FROM customers
-- next
SELECT id FROM orders FOR UPDATE
