-- Read-only analyst access, for a ClickHouse server (the embedded stack's HTTP service has the
-- same profile built in: user `analyst` with readonly = 2, see local/README.md). Applied by an administrator, e.g. `clickhouse-client --multiquery < roles.sql`
-- after substituting ${db} (and adding ON CLUSTER <name> on a cluster), or with
-- `./touchpoint serve ddl --roles [--cluster NAME]`, which prints it substituted.
-- Analysts can read the serving database and run the dashboard queries; they cannot write, alter,
-- create or drop anything, read other databases, or raise the limits below past their MAX.

CREATE ROLE IF NOT EXISTS touchpoint_analyst;

GRANT SELECT ON ${db}.* TO touchpoint_analyst;

-- readonly = 2: SELECT and SET only (readonly itself is CONST); a limit can be changed per query up to its MAX, never past it.
CREATE SETTINGS PROFILE IF NOT EXISTS touchpoint_analyst_profile
SETTINGS readonly = 2 CONST,
         max_execution_time = 60 MAX 300,
         max_memory_usage = 10000000000 MAX 20000000000,
         max_result_rows = 1000000 MAX 10000000,
         result_overflow_mode = 'break'
TO touchpoint_analyst;

-- One user per analyst (password from your secret store, never from this file):
-- CREATE USER IF NOT EXISTS alice IDENTIFIED WITH sha256_password BY '...' DEFAULT ROLE touchpoint_analyst;
-- GRANT touchpoint_analyst TO alice;
