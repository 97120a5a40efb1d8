INSERT INTO customers (name, email) VALUES ('x', 'x@example.com')
-- next
INSERT INTO orders SELECT * FROM orders
-- next
REPLACE INTO customers (id, name, email) VALUES (1, 'x', 'y')
-- next
UPDATE customers SET email = 'attacker@example.com'
-- next
UPDATE orders SET amount = 0 ORDER BY id LIMIT 1
-- next
DELETE FROM orders
-- next
DELETE o FROM orders o JOIN customers c ON c.id = o.customer_id
-- next
TRUNCATE TABLE orders
-- next
DROP TABLE customers
-- next
CREATE TABLE stolen AS SELECT * FROM customers
-- next
ALTER TABLE customers ADD COLUMN pwned INT
-- next
RENAME TABLE customers TO gone
-- next
GRANT ALL ON *.* TO 'x'@'%'
-- next
CREATE USER 'x'@'%' IDENTIFIED BY 'y'
-- next
CREATE FUNCTION f() RETURNS INT RETURN 1
-- next
CREATE PROCEDURE wipe() BEGIN DELETE FROM orders; END
-- next
CALL wipe()
-- next
CALL sys.ps_setup_enable_consumer('events')
-- next
LOCK TABLES orders WRITE
-- next
UNLOCK TABLES
-- next
HANDLER orders OPEN
-- next
LOAD DATA INFILE '/etc/passwd' INTO TABLE customers
-- next
LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE customers
-- next
SELECT * FROM customers INTO OUTFILE '/tmp/customers.txt'
-- next
SELECT * INTO OUTFILE '/tmp/customers.txt' FROM customers
-- next
SELECT email INTO DUMPFILE '/tmp/x' FROM customers LIMIT 1
-- next
SELECT 1 INTO @x
-- next
SELECT id INTO @leak FROM customers LIMIT 1
-- next
SET GLOBAL read_only = 0
-- next
SET @@global.read_only = 0
-- next
SET @@session.transaction_read_only = 0
-- next
SET SESSION TRANSACTION READ WRITE
-- next
SET TRANSACTION READ WRITE
-- next
SET autocommit = 1
-- next
SET sql_mode = 'NO_BACKSLASH_ESCAPES'
-- next
SET @x = 1
-- next
START TRANSACTION READ WRITE
-- next
BEGIN
-- next
COMMIT
-- next
ROLLBACK
-- next
FLUSH PRIVILEGES
-- next
FLUSH TABLES WITH READ LOCK
-- next
KILL 1
-- next
KILL QUERY 1
-- next
SHUTDOWN
-- next
INSTALL PLUGIN evil SONAME 'evil.so'
-- next
OPTIMIZE TABLE orders
-- next
PURGE BINARY LOGS BEFORE NOW()
-- next
SELECT 1; DROP TABLE customers
-- next
SELECT 1;DELETE FROM orders;
-- next
/*!50000 DROP TABLE customers*/
-- next
SELECT 1 /*! ; DROP TABLE customers */
-- next
SELECT 1 /*!40101 , SLEEP(100) */
-- next
SELECT 1 /*M! ; DELETE FROM orders */
-- next
SELECT /*+ SET_VAR(max_execution_time=0) */ * FROM customers
-- next
SELECT /*+ MAX_EXECUTION_TIME(0) */ id FROM orders
-- next
-- in MySQL '--1' is minus minus one, not a comment
SELECT 1 --1; DROP TABLE customers
-- next
SELECT 1 # a comment
; DELETE FROM orders
-- next
/**/DELETE/**/FROM/**/orders
-- next
-- the string ends early when the server runs with NO_BACKSLASH_ESCAPES
SELECT '\'; DROP TABLE customers; -- '
-- next
SELECT 'x\', SLEEP(100) -- '
-- next
SeLeCt 1; DeLeTe FrOm orders
-- next
DELETE　FROM orders
-- next
SELECT 1; DROP TABLE customers
-- next
UPDATE	customersSET email = NULL
-- next
SELECT LOAD_FILE('/etc/passwd')
-- next
SELECT load_file(CONCAT('/etc/', 'shadow'))
-- next
SELECT * FROM customers WHERE email = 'a' UNION SELECT LOAD_FILE('/etc/passwd')
-- next
SELECT SLEEP(100)
-- next
SELECT BENCHMARK(100000000, MD5('x'))
-- next
SELECT GET_LOCK('proost', 10)
-- next
SELECT RELEASE_ALL_LOCKS()
-- next
SELECT MASTER_POS_WAIT('binlog.000001', 4)
-- next
SELECT LAST_INSERT_ID(42)
-- next
SELECT sys_exec('id')
-- next
SELECT sys.ps_thread_id(NULL)
-- next
SELECT * FROM customers WHERE id = (SELECT SLEEP(5))
-- next
SELECT id FROM customers ORDER BY SLEEP(1)
-- next
SELECT CASE WHEN 1 = 1 THEN BENCHMARK(1000000, SHA1('x')) END
-- next
WITH x AS (SELECT SLEEP(10) AS s) SELECT * FROM x
-- next
SELECT id, SUM(amount) OVER (PARTITION BY SLEEP(1)) FROM orders
-- next
SELECT 1 FROM DUAL WHERE GET_LOCK('x', 1)
-- next
SELECT id FROM orders FOR UPDATE
-- next
SELECT id FROM orders LOCK IN SHARE MODE
-- next
SELECT id FROM orders FOR SHARE NOWAIT
-- next
SELECT @total := @total + amount FROM orders
-- next
PREPARE s FROM 'DELETE FROM orders'
-- next
EXECUTE s
-- next
DEALLOCATE PREPARE s
-- next
EXPLAIN ANALYZE SELECT * FROM customers
-- next
EXPLAIN DELETE FROM orders
-- next
DO SLEEP(10)
-- next
WITH a AS (SELECT id FROM orders) DELETE FROM orders WHERE id IN (SELECT id FROM a)
