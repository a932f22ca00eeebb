-- The schema meta of a built file: how, from what and with which references it was built.
-- The build creates it (builder.py) and fills it: meta.build with one row, meta.foreign_keys
-- from the DDL's declared references (schema.list_foreign_keys), meta.inputs with every file
-- read (inputs.record), which tells when the file is out of date.

CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE meta.build (
    built_at          TIMESTAMP NOT NULL,
    batterydb_version VARCHAR NOT NULL,
    duckdb_version    VARCHAR NOT NULL,
    schema_dir        VARCHAR NOT NULL,
    seeds_dir         VARCHAR NOT NULL,
    queries_dir       VARCHAR NOT NULL
);
COMMENT ON TABLE meta.build IS 'How and from what this database file was built (one row).';
COMMENT ON COLUMN meta.build.built_at IS 'When the build finished (UTC).';
COMMENT ON COLUMN meta.build.batterydb_version IS 'Version of batterydb that built the file.';
COMMENT ON COLUMN meta.build.duckdb_version IS 'Version of DuckDB that wrote the file.';
COMMENT ON COLUMN meta.build.schema_dir IS 'Folder the DDL was read from (for information: a rebuild never reads from it).';
COMMENT ON COLUMN meta.build.seeds_dir IS 'Folder the seed CSV files were read from.';
COMMENT ON COLUMN meta.build.queries_dir IS 'Folder the named queries were read from.';

CREATE TABLE meta.foreign_keys (
    table_name              VARCHAR NOT NULL,
    column_names            VARCHAR[] NOT NULL,
    referenced_table        VARCHAR NOT NULL,
    referenced_column_names VARCHAR[] NOT NULL
);
COMMENT ON TABLE meta.foreign_keys IS 'Every reference between the tables, as the DDL declares it. batterydb checked each one when it built this file.';
COMMENT ON COLUMN meta.foreign_keys.table_name IS 'The referencing table.';
COMMENT ON COLUMN meta.foreign_keys.column_names IS 'Its columns; a row''s values there, unless NULL, are a row of the referenced table.';
COMMENT ON COLUMN meta.foreign_keys.referenced_table IS 'The table referred to.';
COMMENT ON COLUMN meta.foreign_keys.referenced_column_names IS 'Its key columns, in the same order.';

CREATE TABLE meta.inputs (
    folder   VARCHAR NOT NULL,
    name     VARCHAR NOT NULL,
    size     BIGINT NOT NULL,
    mtime_ns BIGINT NOT NULL,
    sha256   VARCHAR NOT NULL,
    PRIMARY KEY (folder, name)
);
COMMENT ON TABLE meta.inputs IS 'Every file the build read, as it was just before the build read it, to tell when the database is out of date.';
COMMENT ON COLUMN meta.inputs.folder IS 'Which input: schema, seeds or queries.';
COMMENT ON COLUMN meta.inputs.name IS 'File name within that folder.';
COMMENT ON COLUMN meta.inputs.size IS 'Size in bytes.';
COMMENT ON COLUMN meta.inputs.mtime_ns IS 'Modification time, nanoseconds since the epoch.';
COMMENT ON COLUMN meta.inputs.sha256 IS 'SHA-256 of the content, hex.';
