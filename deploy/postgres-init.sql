-- Run once by the postgres image when its data volume is first initialised
-- (mounted into /docker-entrypoint-initdb.d by docker-compose.yml).
-- One server, one database per service; each service's `migrate` step creates its tables.
CREATE DATABASE licensing;
CREATE DATABASE penalty;
